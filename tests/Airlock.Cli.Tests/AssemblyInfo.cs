// Every test process runs hermetic (its own HOME, XDG dirs, no AIRLOCK_HOME of a user) and proves at its end that no
// user's ~/.airlock changed: see tests/Airlock.Tests.Support/Hermetic and docs/testing.md.
[assembly: Xunit.v3.TestPipelineStartup(typeof(Airlock.Tests.Support.HermeticTestRun))]

// The CLI drives Linux terminals, signals and file modes; its tests assert on those too.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
