using System.Net;
using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// Issue 10, item 2: no number or size a tenant sends reaches the engine unbounded, and a tenant cannot hold more than
/// its share of log streams and execs. A viewer's <c>tail=999999999</c> once made podman allocate for the whole tail
/// until the kernel killed it.
/// </summary>
public sealed class EngineBoundsTests
{
    [Theory(Timeout = 120_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_log_tail_beyond_the_bound_is_refused_naming_tail_before_the_engine_sees_it(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("chatty", "sh", "-c", "seq 1 50; sleep infinity"));

        // Just over the bound first: harmless to an engine that still took it, so an old server fails here, not in the OOM killer.
        var over = await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/logs?tail={ServerLimits.MaxLogTail + 1}", Ct), 400);
        over["detail"]!.GetValue<string>().ShouldContain("tail");
        over["detail"]!.GetValue<string>().ShouldContain($"{ServerLimits.MaxLogTail}");
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/logs?tail=999999999", Ct), 400))["detail"]!.GetValue<string>().ShouldContain("tail");
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/logs?tail=99999999999999", Ct), 400))["detail"]!.GetValue<string>().ShouldContain("tail");

        // Within the bound the log is served as before.
        await PollAsync(async () => (await tenant.Viewer.GetStringAsync($"/v1/sandboxes/{id}/logs?tail={ServerLimits.MaxLogTail}", Ct)).EndsWith("50\n", StringComparison.Ordinal));
        (await tenant.Viewer.GetStringAsync($"/v1/sandboxes/{id}/logs?tail=2", Ct)).ShouldBe("49\n50\n");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Concurrent_log_streams_of_a_tenant_are_bounded(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var other = await server.NewTenantAsync("other");
        // A followed log answers once the first output is there: each sandbox says one line, then waits.
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("waiting", "sh", "-c", "echo up; exec sleep infinity"));
        var theirs = await TenantCalls.CreateAsync(other, ServerHarness.Sandbox("waiting", "sh", "-c", "echo up; exec sleep infinity"));
        const int bound = ServerLimits.MaxLogStreamsPerTenant;

        var follows = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < bound; i++)
            {
                var follow = await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, Ct);
                await Expect.StatusAsync(follow, 200);
                follows.Add(follow);
            }

            using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                using var refused = await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, limit.Token);

                // The status first: an accepted follow's body never ends, so it cannot be read into a failure message.
                refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, $"stream {bound + 1} of one tenant was accepted");
                var problem = await Expect.ProblemAsync(refused, 429);
                problem["detail"]!.GetValue<string>().ShouldContain($"{bound}");
                refused.Headers.RetryAfter.ShouldNotBeNull();
            }

            // The bound is the tenant's: another tenant is not affected.
            var theirFollow = await other.Viewer.GetAsync($"/v1/sandboxes/{theirs}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, Ct);
            await Expect.StatusAsync(theirFollow, 200);
            follows.Add(theirFollow);

            // A stream that ends gives its place back.
            follows[0].Dispose();
            await PollAsync(async () =>
            {
                var again = await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, Ct);
                if (again.StatusCode != HttpStatusCode.OK)
                {
                    again.Dispose();
                    return false;
                }

                follows.Add(again);
                return true;
            });
        }
        finally
        {
            foreach (var follow in follows)
            {
                follow.Dispose();
            }
        }
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task An_exec_past_its_time_limit_is_killed_and_answered_as_timed_out_with_its_output_so_far(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var answer = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync(
            $"/v1/sandboxes/{id}/exec", new { command = new[] { "sh", "-c", "echo started; sleep 601 & exec sleep 600" }, timeoutSeconds = 2 }, limit.Token), 200);
        answer["timedOut"]!.GetValue<bool>().ShouldBeTrue();
        answer["exitCode"].ShouldBeNull();
        answer["stdout"]!.GetValue<string>().ShouldBe("started\n");

        // The command and the child it left in the background are both killed.
        await SandboxProcesses.GoneAsync(server, id, "sleep 600");
        await SandboxProcesses.GoneAsync(server, id, "sleep 601");

        var bad = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" }, timeoutSeconds = 999_999 }, Ct), 400);
        bad["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldContain("exec.timeoutSeconds");
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Concurrent_execs_of_a_tenant_are_bounded(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));
        const int bound = ServerLimits.MaxExecsPerTenant;

        // Each exec holds its place until its process ends: the file it waits for is removed to end them all.
        var running = Enumerable.Range(0, bound).Select(i => tenant.Operator.PostAsJsonAsync(
            $"/v1/sandboxes/{id}/exec", new { command = new[] { "sh", "-c", "touch /tmp/started-$$; while [ ! -e /tmp/go ]; do sleep 0.2; done" } }, Ct)).ToList();
        var probe = new Airlock.Engine.Exec.ExecOptions { Command = ["sh", "-c", "ls /tmp | grep -c started- || true"] };
        await PollAsync(async () => (await server.Engine.Exec.RunAsync("airlock-" + id, probe, ct: Ct)).Stdout.Trim() == $"{bound}");

        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var refused = await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" } }, limit.Token);
            var problem = await Expect.ProblemAsync(refused, 429);
            problem["detail"]!.GetValue<string>().ShouldContain($"{bound}");
        }

        await server.Engine.Exec.RunAsync("airlock-" + id, new Airlock.Engine.Exec.ExecOptions { Command = ["touch", "/tmp/go"] }, ct: Ct);
        foreach (var exec in await Task.WhenAll(running))
        {
            (await Expect.JsonAsync(exec, 200))["exitCode"]!.GetValue<int>().ShouldBe(0);
        }

        (await TenantCalls.ExecAsync(tenant, id, "echo free again")).ShouldBe("free again\n");
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Execs_that_outlive_their_kill_keep_their_place_until_their_process_ends(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));

        // A command that clears its environment drops the marker its kill looks for, so it outlives its time limit; it is
        // answered at once (timed out) but goes on, and a tenant cannot pile up such commands by not waiting for them.
        for (var i = 0; i < ServerLimits.MaxExecsPerTenant; i++)
        {
            var answer = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync(
                $"/v1/sandboxes/{id}/exec", new { command = new[] { "env", "-i", "sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.2; done" }, timeoutSeconds = 1 }, Ct), 200);
            answer["timedOut"]!.GetValue<bool>().ShouldBeTrue();
        }

        var problem = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" } }, Ct), 429);
        problem["detail"]!.GetValue<string>().ShouldContain("time limit");

        // Once their processes end, the places are free again.
        await server.Engine.Exec.RunAsync("airlock-" + id, new Airlock.Engine.Exec.ExecOptions { Command = ["touch", "/tmp/go"] }, ct: Ct);
        await PollAsync(async () => (int)(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" } }, Ct)).StatusCode == 200);
    }

    [Fact(Timeout = 120_000)]
    public async Task Counts_and_sizes_in_create_and_exec_bodies_are_bounded_even_under_a_large_body_limit()
    {
        await using var server = await ServerHarness.StartAsync(maxBody: 16L * 1024 * 1024);
        var tenant = await server.NewTenantAsync("acme");
        var manyEnv = Enumerable.Range(0, 5000).ToDictionary(i => $"V{i}", _ => "x");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new
        {
            name = "fat", image = TestEngines.BaseImage, command = new[] { "true" }, env = manyEnv,
        }, Ct), "sandbox.env");
        var longName = new string('A', 100_000);
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new
        {
            name = "fat", image = TestEngines.BaseImage, command = new[] { "true" }, env = new Dictionary<string, string> { [longName] = "x" },
        }, Ct), "sandbox.env");
        (await server.ContainerNamesAsync()).ShouldBeEmpty();

        var id = await TenantCalls.CreateAsync(tenant, ServerHarness.Sandbox("box"));
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "true" }, env = manyEnv }, Ct), "exec.env");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync(
            $"/v1/sandboxes/{id}/exec", new { command = new[] { "echo", new string('a', 1_000_000) } }, Ct), "exec.command[1]");
        await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync(
            $"/v1/sandboxes/{id}/exec", new { command = new[] { "cat" }, stdin = new string('a', 4 * 1024 * 1024) }, Ct), "exec.stdin");
    }

    /// <summary>Polls a real condition until it holds, failing after a deadline (never a fixed sleep).</summary>
    private static async Task PollAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition did not hold within 60 s");
            }

            await Task.Delay(100, Ct);
        }
    }
}
