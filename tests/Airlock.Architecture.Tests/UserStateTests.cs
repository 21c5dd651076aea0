namespace Airlock.Architecture.Tests;

/// <summary>Alone, after every parallel collection (DisableParallelization): this project's tests are all done.</summary>
[CollectionDefinition(nameof(UserStateTests), DisableParallelization = true)]
[Collection(nameof(UserStateTests))]
public sealed class UserStateTests : UserStateGuard;
