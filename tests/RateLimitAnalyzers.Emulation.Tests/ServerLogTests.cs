using System;
using System.Linq;
using RateLimitAnalyzers.Emulation.Tests.Servers;
using Xunit;

namespace RateLimitAnalyzers.Emulation.Tests;

/// <summary>The server record's judgement of a pacer: what it sent over the quota, apart from what transit delayed.</summary>
public sealed class ServerLogTests
{
    // 2 per 100 ms, rolling, as Archiva counts.
    private static readonly QuotaRule s_rule = new(2, TimeSpan.FromMilliseconds(100));

    [Fact]
    public void A_request_held_in_transit_is_refused_by_the_server_but_was_sent_within_the_quota()
    {
        var log = new ServerLog();
        Replay(log, "held", (Sent: 0, At: 60), (Sent: 50, At: 50), (Sent: 105, At: 105));

        Assert.Equal(1, log.Of("held").Count(a => a.Throttled));
        Assert.Empty(log.OverQuotaAsSent("held", NewQuota)!);
    }

    [Fact]
    public void A_request_sent_too_soon_is_over_the_quota_as_sent()
    {
        var log = new ServerLog();
        Replay(log, "hasty", (Sent: 0, At: 1), (Sent: 50, At: 51), (Sent: 90, At: 91));

        var over = Assert.Single(log.OverQuotaAsSent("hasty", NewQuota)!);
        Assert.Equal(TimeSpan.FromMilliseconds(90), over.Sent);
    }

    [Fact]
    public void Quotas_are_counted_per_caller_and_operation_and_other_clients_are_left_out()
    {
        var log = new ServerLog();
        Replay(log, "a", (Sent: 0, At: 0), (Sent: 10, At: 10));
        Replay(log, "b", (Sent: 20, At: 20));
        log.Add(new Arrival(TimeSpan.FromMilliseconds(30), "a", "a", "other operation", false, null, TimeSpan.FromMilliseconds(30)));

        Assert.Empty(log.OverQuotaAsSent("a", NewQuota)!);
        Assert.Empty(log.OverQuotaAsSent("b", NewQuota)!);
    }

    [Fact]
    public void A_client_that_does_not_say_when_it_sent_is_not_judged()
    {
        var log = new ServerLog();
        log.Add(new Arrival(TimeSpan.Zero, "x", "x", "op", false, null, null));

        Assert.Null(log.OverQuotaAsSent("x", NewQuota));
    }

    private static Func<TimeSpan, bool> NewQuota()
    {
        var quota = new RollingLog(s_rule);
        return now => quota.TryAccept(now, out _, out _);
    }

    // The server's side as it happens: requests admitted in the order they arrive, each recorded with when it was sent.
    private static void Replay(ServerLog log, string client, params (int Sent, int At)[] requests)
    {
        var server = NewQuota();
        foreach (var (sent, at) in requests.OrderBy(r => r.At))
        {
            var arrival = TimeSpan.FromMilliseconds(at);
            log.Add(new Arrival(arrival, client, client, "op", !server(arrival), null, TimeSpan.FromMilliseconds(sent)));
        }
    }
}
