using Airlock.Launcher.Namespaces;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary>
/// Shows a namespace operation's progress: on a terminal a live bar (step N of M) with the latest build line under it;
/// otherwise one plain line per step, so logs stay readable.
/// </summary>
public static class BuildProgressView
{
    public static async Task<T> RunAsync<T>(CliContext context, string title, Func<IProgress<NamespaceProgress>, Task<T>> work)
    {
        var console = context.Error;
        if (!console.Profile.Capabilities.Interactive)
        {
            var lastStep = -1;
            return await work(new SynchronousProgress<NamespaceProgress>(p =>
            {
                if (p.Build is null)
                {
                    console.WriteLine($"{title}: {p.Phase}");
                }
                else if (p.Build.Step != lastStep && p.Build.Step > 0)
                {
                    lastStep = p.Build.Step;
                    console.WriteLine($"  step {p.Build.Step}/{p.Build.TotalSteps}: {Shorten(p.Build.Instruction ?? "", 150)}");
                }
            }));
        }

        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                var detail = ctx.AddTask("", maxValue: 1);
                detail.IsIndeterminate = true;
                result = await work(new SynchronousProgress<NamespaceProgress>(p =>
                {
                    if (p.Build is { TotalSteps: > 0 } b)
                    {
                        task.MaxValue = b.TotalSteps;
                        task.Value = Math.Max(0, b.Step - 1);
                        task.Description = Markup.Escape($"{title}: step {b.Step}/{b.TotalSteps} {Shorten(b.Instruction ?? "", 50)}");
                        detail.Description = "[grey]" + Markup.Escape(Shorten(b.Line.Trim(), 90)) + "[/]";
                    }
                    else if (p.Build is null)
                    {
                        task.Description = Markup.Escape($"{title}: {p.Phase}");
                    }
                }));
                task.Value = task.MaxValue;
                detail.Description = "";
                detail.IsIndeterminate = false;
                detail.Value = detail.MaxValue;
            });
        return result;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
