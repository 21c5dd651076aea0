using System.Text;

namespace Airlock.Engine.Transport;

/// <summary>Builds an escaped query string, skipping parameters whose value is null.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _sb = new();

    public QueryString Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _sb.Append(_sb.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryString Add(string name, bool value) => Add(name, value ? "1" : "0");

    public QueryString AddIf(bool condition, string name, string value) => condition ? Add(name, value) : this;

    public override string ToString() => _sb.ToString();
}
