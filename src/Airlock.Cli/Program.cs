using Airlock.Cli;

// Everything lives in CliApp so tests and later hosts (serve) can run the same command tree.
return await CliApp.RunAsync(args, CliContext.FromProcess());
