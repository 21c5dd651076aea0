using Airlock.Engine.Tests.Infrastructure;

// One connection per engine for the whole run, and one leak check at its end (see EngineFixture.DisposeAsync).
[assembly: AssemblyFixture(typeof(EngineFixture))]
