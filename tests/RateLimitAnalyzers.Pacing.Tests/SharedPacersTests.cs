using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace RateLimitAnalyzers.Pacing.Tests
{
    /// <summary>One key, one quota for the whole process: across copies of the runtime, and without keeping keys no one uses.</summary>
    public sealed class SharedPacersTests
    {
        private static readonly Lazy<SecondCopy> s_secondCopy = new Lazy<SecondCopy>(() => new SecondCopy());

        [Fact]
        public void Two_copies_of_the_runtime_share_one_quota_per_key()
        {
            // What an application and a library each compiled from the generator get: two RequestPacer types.
            var second = s_secondCopy.Value;
            var key = "tests/" + Guid.NewGuid().ToString("N");
            var mine = RequestPacer.Shared(key, QuotaWindow.PerMinute(3));
            var theirs = second.Shared(key, 3);

            Assert.True(mine.TryTakeTurn(out _));
            Assert.True(second.TryTakeTurn(theirs));
            Assert.True(mine.TryTakeTurn(out _));

            // 3 a minute for the process, not 3 for each copy.
            Assert.False(second.TryTakeTurn(theirs));
            Assert.False(mine.TryTakeTurn(out _));
        }

        [Fact]
        public async Task A_key_another_copy_created_takes_this_copys_windows_pauses_and_waits()
        {
            var second = s_secondCopy.Value;
            var key = "tests/" + Guid.NewGuid().ToString("N");
            var theirs = second.Shared(key, 100);
            var mine = RequestPacer.Shared(key, QuotaWindow.PerHour(1000));

            Assert.Equal(new[] { QuotaWindow.PerMinute(100), QuotaWindow.PerHour(1000) }, mine.Windows);
            Assert.Same(mine, RequestPacer.Shared(key));

            // A server's Retry-After seen by this copy holds the other copy's callers too, and a wait past the deadline
            // fails as this copy's exception.
            mine.PauseFor(TimeSpan.FromMinutes(1));
            Assert.False(second.TryTakeTurn(theirs));
            var error = await Assert.ThrowsAsync<PacingDeadlineExceededException>(() => mine.WaitTurnAsync(TimeSpan.FromSeconds(1)).WaitAsync(ManualClock.Settle));
            Assert.True(error.RequiredWait > TimeSpan.FromSeconds(50), "wait " + error.RequiredWait);
        }

        [Fact]
        public void Keys_that_hold_nothing_back_and_that_no_one_holds_are_released()
        {
            var idle = Enumerable.Range(0, 100).Select(_ => "tests/idle/" + Guid.NewGuid().ToString("N")).ToArray();
            TakeOneTurnEach(idle, QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(1)));
            var busy = "tests/busy/" + Guid.NewGuid().ToString("N");
            TakeOneTurnEach(new[] { busy }, QuotaWindow.PerDay(1));
            var heldKey = "tests/held/" + Guid.NewGuid().ToString("N");
            var held = RequestPacer.Shared(heldKey, QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(1)));
            Assert.True(held.TryTakeTurn(out _));

            // Long past every 1 ms window and its 20 ms margin, however loaded the machine: no timing is asserted.
            Thread.Sleep(100);
            SharedPacers.Sweep();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            SharedPacers.Sweep();

            Assert.DoesNotContain(idle, SharedPacers.Has);

            // A key whose turn is still inside its window stays, though no one holds its pacer: its quota is not lost.
            Assert.True(SharedPacers.Has(busy));
            Assert.False(RequestPacer.Shared(busy).TryTakeTurn(out _));

            // And a caller that kept its pacer keeps the one every new caller of the key gets.
            Assert.Same(held, RequestPacer.Shared(heldKey));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void TakeOneTurnEach(string[] keys, QuotaWindow window)
        {
            foreach (var key in keys)
            {
                Assert.True(RequestPacer.Shared(key, window).TryTakeTurn(out _));
            }
        }

        /// <summary>The runtime's sources compiled again into an assembly of their own, as the generator emits them into a library.</summary>
        private sealed class SecondCopy
        {
            private readonly Type _pacer;
            private readonly Type _window;

            public SecondCopy()
            {
                var sources = Directory.GetFiles(SourceDirectory(), "*.cs")
                    .Where(path => Path.GetFileName(path) != "RateLimiterPacing.cs")
                    .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.CSharp7_3), path));
                var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(Path.PathSeparator)
                    .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) == "netstandard.dll" || Path.GetFileName(path) == "mscorlib.dll")
                    .Select(path => MetadataReference.CreateFromFile(path));
                var compilation = CSharpCompilation.Create("SecondCopyOfThePacingRuntime", sources, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
                using var image = new MemoryStream();
                var result = compilation.Emit(image);
                Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

                var assembly = Assembly.Load(image.ToArray());
                _pacer = assembly.GetType("RateLimitAnalyzers.Pacing.RequestPacer", true);
                _window = assembly.GetType("RateLimitAnalyzers.Pacing.QuotaWindow", true);
                Assert.NotEqual(typeof(RequestPacer), _pacer);
            }

            /// <summary>The second copy's <c>RequestPacer.Shared(key, QuotaWindow.PerMinute(perMinute))</c>.</summary>
            public object Shared(string key, int perMinute)
            {
                var windows = Array.CreateInstance(_window, 1);
                windows.SetValue(_window.GetMethod("PerMinute").Invoke(null, new object[] { perMinute }), 0);
                return _pacer.GetMethod("Shared").Invoke(null, new object[] { key, windows });
            }

            public bool TryTakeTurn(object pacer)
            {
                return (bool)_pacer.GetMethod("TryTakeTurn").Invoke(pacer, new object[] { null });
            }

            private static string SourceDirectory()
            {
                for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
                {
                    var candidate = Path.Combine(directory.FullName, "src", "RateLimitAnalyzers.Pacing");
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }

                throw new DirectoryNotFoundException("src/RateLimitAnalyzers.Pacing above " + AppContext.BaseDirectory);
            }
        }
    }
}
