namespace Airlock.Server.Tests;

/// <summary>This project's run left every user's ~/.airlock as it found it: see <see cref="UserStateGuard"/>.</summary>
public sealed class UserStateTests : UserStateGuard;
