using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;

namespace RateLimitAnalyzers.Pacing.Redis;

/// <summary>
/// The atomic check-and-record behind <see cref="RedisRateLimiter"/>: one sorted set per window holds the
/// grants still inside it, scored by Redis's own clock, so workers whose clocks drift apart still agree.
/// </summary>
/// <remarks>
/// A script runs atomically: no other worker's request can come between the check and the record (Garnet only
/// with <c>--lua-transaction-mode</c>). Every window is checked before any is used, so a request the daily window
/// refuses spends nothing of the per-second one, and a refused attempt is recorded nowhere, as the servers we model
/// count it. Turns a worker took on its local share while Redis did not answer come with its next call and are
/// recorded first, at their age, so they count against the request that brings them.
/// <para>
/// A grant is recorded a lease ahead (<see cref="RedisRateLimiterOptions.LeaseTimeout"/>): it holds its slot while its
/// request is on the way, however long a stalled worker takes to send it. When its lease ends, the response having
/// come, <see cref="RestampText"/> moves it to that time less the arrival margin, never before its grant; a lease never
/// ended (the worker died) counts from the lease's end. A waiter whose room depends on a grant still held asks
/// again a window later, the soonest that grant can leave.
/// </para>
/// </remarks>
internal static class RollingLogScript
{
    // KEYS[i]: window i's sorted set. ARGV[1]: a member name no other grant uses; ARGV[2]: permits asked for
    // (0 only checks); ARGV[3]: the lease in microseconds; ARGV[2 + 2i], ARGV[3 + 2i]: window i's limit and length in
    // microseconds; then pairs of a local turn's member name and its age in microseconds (a name is recorded once
    // however often it is sent). Returns 0 when the permits were granted, else the microseconds until every window
    // may have room.
    public const string Text = @"
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[2])
local lease = tonumber(ARGV[3])
local wait = 0
for j = 4 + 2 * #KEYS, #ARGV - 1, 2 do
  local age = tonumber(ARGV[j + 1])
  for i = 1, #KEYS do
    local window = tonumber(ARGV[3 + 2 * i])
    if age < window then
      redis.call('ZADD', KEYS[i], now - age, ARGV[j])
      redis.call('PEXPIRE', KEYS[i], math.ceil((window + lease) / 1000) + 1)
    end
  end
end
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 + 2 * i])
  local window = tonumber(ARGV[3 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local over = redis.call('ZCARD', KEYS[i]) + math.max(permits, 1) - limit
  if over > 0 then
    local leaving = redis.call('ZRANGE', KEYS[i], over - 1, over - 1, 'WITHSCORES')
    local frees = tonumber(leaving[2]) + window - now
    if frees > window then frees = window end
    if frees > wait then wait = frees end
  end
end
if wait > 0 or permits == 0 then return wait end
for i = 1, #KEYS do
  for p = 1, permits do
    redis.call('ZADD', KEYS[i], now + lease, ARGV[1] .. ':' .. p)
  end
  redis.call('PEXPIRE', KEYS[i], math.ceil((tonumber(ARGV[3 + 2 * i]) + lease) / 1000) + 1)
end
return 0
";

    // KEYS: the windows' sorted sets. ARGV[1]: the lease the grants were recorded ahead by, in microseconds; ARGV[2]:
    // the arrival margin in microseconds; ARGV[3...]: the grants' member names. Each grant still in a window counts
    // from now less the margin, or from its grant if that is later. A grant already moved is not sent again.
    public const string RestampText = @"
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local lease = tonumber(ARGV[1])
local responded = now - tonumber(ARGV[2])
for i = 1, #KEYS do
  for j = 3, #ARGV do
    local score = redis.call('ZSCORE', KEYS[i], ARGV[j])
    if score then
      local granted = tonumber(score) - lease
      redis.call('ZADD', KEYS[i], math.max(granted, responded), ARGV[j])
    end
  end
end
return 0
";

    /// <summary>
    /// One key per window, all in one hash slot (the braces) so the script runs on a cluster too. The window
    /// is part of the name: workers configured with different windows do not mix their logs.
    /// </summary>
    public static RedisKey[] Keys(string prefix, string key, IReadOnlyList<SharedQuotaWindow> windows)
    {
        var keys = new RedisKey[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            keys[i] = prefix + "{" + key + "}:" + windows[i].Limit.ToString(CultureInfo.InvariantCulture) + "/" +
                Microseconds(windows[i].Window).ToString(CultureInfo.InvariantCulture) + "us";
        }

        return keys;
    }

    /// <summary>The script's arguments; <paramref name="localTurns"/> are the turns taken locally that Redis has not recorded yet, each with its age.</summary>
    public static RedisValue[] Arguments(string member, int permits, TimeSpan lease, IReadOnlyList<SharedQuotaWindow> windows, IReadOnlyList<KeyValuePair<string, TimeSpan>> localTurns)
    {
        var values = new RedisValue[3 + (2 * windows.Count) + (2 * localTurns.Count)];
        values[0] = member;
        values[1] = permits;
        values[2] = Microseconds(lease);
        for (var i = 0; i < windows.Count; i++)
        {
            values[3 + (2 * i)] = windows[i].Limit;
            values[4 + (2 * i)] = Microseconds(windows[i].Window);
        }

        for (var j = 0; j < localTurns.Count; j++)
        {
            values[3 + (2 * windows.Count) + (2 * j)] = localTurns[j].Key;
            values[4 + (2 * windows.Count) + (2 * j)] = Microseconds(localTurns[j].Value);
        }

        return values;
    }

    /// <summary><see cref="RestampText"/>'s arguments for the <paramref name="permits"/> grants of <paramref name="member"/>.</summary>
    public static RedisValue[] RestampArguments(string member, int permits, TimeSpan lease, TimeSpan arrivalMargin)
    {
        var values = new RedisValue[2 + permits];
        values[0] = Microseconds(lease);
        values[1] = Microseconds(arrivalMargin);
        for (var p = 1; p <= permits; p++)
        {
            values[1 + p] = member + ":" + p.ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }

    /// <summary>The script's answer: null when granted, else how long until there may be room.</summary>
    public static TimeSpan? Wait(RedisResult result)
    {
        var microseconds = (long)result;
        return microseconds <= 0 ? null : TimeSpan.FromTicks(microseconds * 10);
    }

    private static long Microseconds(TimeSpan window) => window.Ticks / 10;
}
