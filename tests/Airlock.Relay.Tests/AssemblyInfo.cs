// Every test process runs hermetic (its own HOME, XDG dirs, no AIRLOCK_HOME of a user) and proves at its end that no
// user's ~/.airlock changed: see tests/Airlock.Tests.Support/Hermetic and docs/testing.md.
[assembly: Xunit.v3.TestPipelineStartup(typeof(Airlock.Tests.Support.HermeticTestRun))]

// Path safety is about Unix links, modes and owners; its tests assert on those.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
