using System.Net;
using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// Issue 10, item 4: requests without a valid credential cost the server work (a database read per unknown key, an
/// audit append per refused change). They are rate-limited per address, and the audit log records them sampled, so a
/// flood of them neither starves the server nor grows the log in proportion.
/// </summary>
public sealed class UnauthenticatedRequestTests
{
    [Fact(Timeout = 60_000)]
    public async Task Unauthenticated_requests_are_rate_limited_per_address_and_keys_still_work()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var anonymous = server.Client(null);
        var guessing = server.Client("alk_k0123456789abcdef_notthesecret");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add((await (i % 2 == 0 ? anonymous : guessing).GetAsync("/v1/sandboxes", Ct)).StatusCode);
        }

        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        statuses.Take(10).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        // The bucket refills every second: on a loaded machine one more request may find a fresh token, so the next 429
        // (within a few requests, far fewer than a second's refill) is the one examined.
        HttpResponseMessage limited;
        var tries = 0;
        while ((limited = await anonymous.GetAsync("/v1/tenants", Ct)).StatusCode != HttpStatusCode.TooManyRequests && ++tries < 20)
        {
            limited.Dispose();
        }

        var problem = await Expect.ProblemAsync(limited, 429);
        problem["detail"]!.GetValue<string>().ShouldContain("without a valid");
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);

        // Other addresses are not held up by one address's flood: a key the server has not seen yet, an anonymous probe.
        using var elsewhere = OtherAddressClient.Create(server.Server.Address, tenant.Keys["viewer"]);
        await Expect.StatusAsync(await elsewhere.GetAsync("/v1/sandboxes", Ct), 200);
        using var probe = OtherAddressClient.Create(server.Server.Address, null);
        await Expect.StatusAsync(await probe.GetAsync("/healthz", Ct), 200);
        await Expect.ProblemAsync(await probe.GetAsync("/v1/sandboxes", Ct), 401);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_flood_of_unauthenticated_changes_adds_a_bounded_number_of_audit_entries()
    {
        await using var server = await ServerHarness.StartAsync();
        var anonymous = server.Client(null);
        var guessing = server.Client("alk_k0123456789abcdef_notthesecret");

        for (var i = 0; i < 200; i++)
        {
            var response = await (i % 2 == 0 ? anonymous : guessing).PostAsJsonAsync("/v1/tenants", new { id = $"t{i}" }, Ct);
            ((int)response.StatusCode).ShouldBeOneOf(401, 429);
        }

        using var admin = OtherAddressClient.Create(server.Server.Address, server.BootstrapKey);
        var audit = await Expect.JsonAsync(await admin.GetAsync("/v1/audit?limit=1000", Ct), 200);
        var anonymousEntries = audit["entries"]!.AsArray().Where(e => e!["actor"]!.GetValue<string>() == "anonymous").ToList();

        // Still visible (the first refusal from the address is recorded), but one a minute per address, not one a request.
        anonymousEntries.Count.ShouldBeInRange(1, 2);
        anonymousEntries[0]!["result"]!.GetValue<string>().ShouldBe("refused");

        // What is left out is counted.
        var metrics = await admin.GetStringAsync("/metrics", Ct);
        metrics.ShouldContain("airlock_audit_sampled_out_total");
        metrics.ShouldNotContain("airlock_audit_sampled_out_total 0\n");
    }
}
