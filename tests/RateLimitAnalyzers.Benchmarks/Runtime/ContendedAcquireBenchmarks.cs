using System;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace RateLimitAnalyzers.Benchmarks.Runtime;

/// <summary>
/// Eight threads taking turns from one shared limiter at once, as parallel exports sharing one API key do.
/// The threads live for the whole benchmark and start each round together, so thread start-up is not measured.
/// </summary>
[MemoryDiagnoser]
public class ContendedAcquireBenchmarks
{
    public const int Threads = 8;
    public const int TurnsPerThread = 20_000;

    private LimiterSet _limiters = null!;
    private Thread[] _workers = null!;
    private Barrier _round = null!;
    private Action? _turn;
    private int _turnsPerThread = TurnsPerThread;
    private volatile bool _stopping;

    /// <summary>Fewer turns, for the tests that only check the benchmark runs.</summary>
    public int TurnsPerThreadOverride
    {
        set => _turnsPerThread = value;
    }

    [GlobalSetup]
    public void Setup()
    {
        _limiters = new LimiterSet();
        _round = new Barrier(Threads + 1);
        _workers = new Thread[Threads];
        for (var i = 0; i < Threads; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = "contender " + i };
            _workers[i].Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _round.SignalAndWait();
        foreach (var worker in _workers)
        {
            worker.Join();
        }

        _round.Dispose();
        _limiters.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Threads * TurnsPerThread)]
    public void RequestPacer_WaitTurn() => RunRound(() => _limiters.Pacer.WaitTurn());

    [Benchmark(OperationsPerInvoke = Threads * TurnsPerThread)]
    public void TokenBucket_AttemptAcquire() => RunRound(() => _limiters.TokenBucket.AttemptAcquire(1).Dispose());

    [Benchmark(OperationsPerInvoke = Threads * TurnsPerThread)]
    public void SlidingWindow_AttemptAcquire() => RunRound(() => _limiters.SlidingWindow.AttemptAcquire(1).Dispose());

    [Benchmark(OperationsPerInvoke = Threads * TurnsPerThread)]
    public void Polly_RetryAndRateLimiter_Execute() => RunRound(() => _limiters.Polly.Execute(static () => { }));

    private void RunRound(Action turn)
    {
        _turn = turn;
        _round.SignalAndWait(); // start
        _round.SignalAndWait(); // every worker done
    }

    private void Work()
    {
        while (true)
        {
            _round.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            var turn = _turn!;
            for (var i = 0; i < _turnsPerThread; i++)
            {
                turn();
            }

            _round.SignalAndWait();
        }
    }
}
