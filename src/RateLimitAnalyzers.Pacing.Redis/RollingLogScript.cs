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
/// with <c>--lua-transaction-mode</c>). Every window is checked before any is written, so a request the daily window
/// refuses spends nothing of the per-second one, and a refused attempt is recorded nowhere, as the servers we model
/// count it. Turns a worker took on its local share while Redis did not answer come with its next call and are
/// recorded first, at their age, so they count against the request that brings them.
/// </remarks>
internal static class RollingLogScript
{
    // KEYS[i]: window i's sorted set. ARGV[1]: a member name no other grant uses; ARGV[2]: permits asked for
    // (0 only checks); ARGV[1 + 2i], ARGV[2 + 2i]: window i's limit and length in microseconds; then pairs of a
    // local turn's member name and its age in microseconds (a name is recorded once however often it is sent).
    // Returns 0 when the permits were granted, else the microseconds until every window may have room.
    public const string Text = @"
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local permits = tonumber(ARGV[2])
local wait = 0
for j = 3 + 2 * #KEYS, #ARGV - 1, 2 do
  local age = tonumber(ARGV[j + 1])
  for i = 1, #KEYS do
    local window = tonumber(ARGV[2 + 2 * i])
    if age < window then
      redis.call('ZADD', KEYS[i], now - age, ARGV[j])
      redis.call('PEXPIRE', KEYS[i], math.ceil(window / 1000) + 1)
    end
  end
end
for i = 1, #KEYS do
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local over = redis.call('ZCARD', KEYS[i]) + math.max(permits, 1) - limit
  if over > 0 then
    local leaving = redis.call('ZRANGE', KEYS[i], over - 1, over - 1, 'WITHSCORES')
    local frees = tonumber(leaving[2]) + window - now
    if frees > wait then wait = frees end
  end
end
if wait > 0 or permits == 0 then return wait end
for i = 1, #KEYS do
  for p = 1, permits do
    redis.call('ZADD', KEYS[i], now, ARGV[1] .. ':' .. p)
  end
  redis.call('PEXPIRE', KEYS[i], math.ceil(tonumber(ARGV[2 + 2 * i]) / 1000) + 1)
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
    public static RedisValue[] Arguments(string member, int permits, IReadOnlyList<SharedQuotaWindow> windows, IReadOnlyList<KeyValuePair<string, TimeSpan>> localTurns)
    {
        var values = new RedisValue[2 + (2 * windows.Count) + (2 * localTurns.Count)];
        values[0] = member;
        values[1] = permits;
        for (var i = 0; i < windows.Count; i++)
        {
            values[2 + (2 * i)] = windows[i].Limit;
            values[3 + (2 * i)] = Microseconds(windows[i].Window);
        }

        for (var j = 0; j < localTurns.Count; j++)
        {
            values[2 + (2 * windows.Count) + (2 * j)] = localTurns[j].Key;
            values[3 + (2 * windows.Count) + (2 * j)] = Microseconds(localTurns[j].Value);
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
