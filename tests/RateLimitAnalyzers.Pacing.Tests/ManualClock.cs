using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RateLimitAnalyzers.Pacing;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>A clock that only moves when the test says so; delays complete when time reaches them.</summary>
    internal sealed class ManualClock : PacingClock
    {
        /// <summary>
        /// The real time a test gives work that must not wait on this clock (and the drivers below give the
        /// thread pool), so a regression that waits after all fails the test instead of hanging it.
        /// </summary>
        public static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

        private readonly object _gate = new object();
        private readonly List<(TimeSpan Due, TaskCompletionSource<bool> Completion)> _delays = new List<(TimeSpan, TaskCompletionSource<bool>)>();
        private TimeSpan _elapsed;

        public ManualClock(DateTimeOffset? start = null)
        {
            Start = start ?? new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        }

        public DateTimeOffset Start { get; }

        public override TimeSpan Elapsed
        {
            get { lock (_gate) { return _elapsed; } }
        }

        public override DateTimeOffset UtcNow => Start + Elapsed;

        /// <summary>How many delays are waiting for time to move.</summary>
        public int PendingDelays
        {
            get { lock (_gate) { return _delays.Count; } }
        }

        public List<TimeSpan> RequestedDelays { get; } = new List<TimeSpan>();

        public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            var completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                RequestedDelays.Add(delay);
                if (delay <= TimeSpan.Zero)
                {
                    return Task.CompletedTask;
                }

                _delays.Add((_elapsed + delay, completion));
            }

            // A cancelled delay no longer waits for time to move: it leaves the pending count at once.
            cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _delays.RemoveAll(d => d.Completion == completion);
                }

                completion.TrySetCanceled(cancellationToken);
            });
            return completion.Task;
        }

        public override void Sleep(TimeSpan delay, CancellationToken cancellationToken)
        {
            // Synchronous callers in these tests run on the test thread: sleeping moves time forward.
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                RequestedDelays.Add(delay);
            }

            Advance(delay);
        }

        public void Advance(TimeSpan by)
        {
            List<TaskCompletionSource<bool>> due;
            lock (_gate)
            {
                if (by > TimeSpan.Zero)
                {
                    _elapsed += by;
                }

                var now = _elapsed;
                due = _delays.FindAll(d => d.Due <= now).ConvertAll(d => d.Completion);
                _delays.RemoveAll(d => d.Due <= now);
            }

            foreach (var completion in due)
            {
                completion.TrySetResult(true);
            }
        }

        /// <summary>
        /// Moves time from one pending delay to the next until the tasks complete. Time moves only while
        /// every unfinished task waits on this clock (each waits on one delay at a time), so no task sees
        /// time jump in the middle of its work; meanwhile the thread pool gets real milliseconds to run it.
        /// Tasks that never complete fail the test after <see cref="Settle"/>.
        /// </summary>
        public async Task RunUntilCompleted(params Task[] tasks)
        {
            var giveUp = DateTime.UtcNow + Settle;
            while (true)
            {
                var running = tasks.Count(t => !t.IsCompleted);
                if (running == 0)
                {
                    break;
                }

                if (DateTime.UtcNow > giveUp)
                {
                    throw new TimeoutException(running + " tasks neither completed nor waited for the clock.");
                }

                if (PendingDelays < running || !AdvanceToNextDelay())
                {
                    await Task.Delay(1);
                }
            }

            await Task.WhenAll(tasks);
        }

        public async Task<T> RunUntilCompleted<T>(Task<T> task)
        {
            await RunUntilCompleted((Task)task);
            return await task;
        }

        /// <summary>Waits, in real milliseconds, until <paramref name="count"/> delays wait for time to move.</summary>
        public async Task WaitForPendingDelays(int count)
        {
            var giveUp = DateTime.UtcNow + Settle;
            while (PendingDelays < count)
            {
                if (DateTime.UtcNow > giveUp)
                {
                    throw new TimeoutException(PendingDelays + " delays pending, not " + count + ".");
                }

                await Task.Delay(1);
            }
        }

        /// <summary>Advances to the next pending delay, if any; returns false when nothing waits.</summary>
        public bool AdvanceToNextDelay()
        {
            TimeSpan next;
            lock (_gate)
            {
                if (_delays.Count == 0)
                {
                    return false;
                }

                next = TimeSpan.MaxValue;
                foreach (var d in _delays)
                {
                    if (d.Due < next)
                    {
                        next = d.Due;
                    }
                }

                next -= _elapsed;
            }

            Advance(next);
            return true;
        }
    }
}
