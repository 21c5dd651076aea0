// Server tests start real servers with real containers; a handful at a time keeps the 2-core machines responsive.
[assembly: CollectionBehavior(MaxParallelThreads = 3)]
