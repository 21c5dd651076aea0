using Airlock.Engine.Tests.Infrastructure;

// One connection per engine for the whole run, and one leak check at its end (see EngineFixture.DisposeAsync).
[assembly: AssemblyFixture(typeof(EngineFixture))]

// The trust checks of discovery are about Unix owners and modes; their tests set and read those.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
