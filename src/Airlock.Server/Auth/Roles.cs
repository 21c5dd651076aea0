namespace Airlock.Server.Auth;

public static class Roles
{
    public static string Name(Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Operator => "operator",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? text, out Role role)
    {
        switch (text)
        {
            case "viewer":
                role = Role.Viewer;
                return true;
            case "operator":
                role = Role.Operator;
                return true;
            case "admin":
                role = Role.Admin;
                return true;
            default:
                role = default;
                return false;
        }
    }
}
