using Airlock.Launcher.IntegrationTests.Infrastructure;

// The launcher drives Linux containers with Unix file modes, sockets and uids; its tests assert on those too.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

// Every test here drives the real airlock binary against the real engines.
[assembly: Trait("Category", "Integration")]

// One base-template namespace per engine, shared by the tests that only read it; removed (and checked for leaks) at the end.
[assembly: AssemblyFixture(typeof(SharedNamespaces))]
