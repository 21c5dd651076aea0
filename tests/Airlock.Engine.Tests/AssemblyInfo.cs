using Airlock.Engine.Tests.Infrastructure;

// One connection per engine for the whole run, and one leak check at its end (see EngineFixture.DisposeAsync).
[assembly: AssemblyFixture(typeof(EngineFixture))]

// Every test process runs hermetic (its own HOME, XDG dirs, no AIRLOCK_HOME of a user) and proves at its end that no
// user's ~/.airlock changed: see tests/Airlock.Tests.Support/Hermetic and docs/testing.md.
[assembly: Xunit.v3.TestPipelineStartup(typeof(Airlock.Tests.Support.HermeticTestRun))]

// The trust checks of discovery are about Unix owners and modes; their tests set and read those.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
