using System.Threading.Tasks;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    RateLimitAnalyzers.Rules.RL0008WaitShorterThanQuotaAnalyzer,
    RateLimitAnalyzers.CodeFixes.Rules.RL0008WaitShorterThanQuotaCodeFix>;

namespace RateLimitAnalyzers.Tests.Rules;

public class RL0008WaitShorterThanQuotaCodeFixTests
{
    [Fact]
    public Task Delay_becomes_a_wait_for_a_turn_with_the_delays_token() => Verify.VerifyEditsAsync(
        RL0008Cases.Reported["Task.Delay(100) in a paging loop against 1 request per second"],
        RL0008Cases.Usings,
        PacerFieldText.First("Export", PacerFieldText.Agora),
        ("await Task.Delay(100, cancellationToken);", "await AgoraPacer.WaitTurnAsync(cancellationToken);"));

    [Fact]
    public Task Sleep_becomes_a_blocking_wait_for_a_turn() => Verify.VerifyEditsAsync(
        RL0008Cases.Reported["Thread.Sleep of half a second against 100 per 60 s"],
        RL0008Cases.Usings,
        PacerFieldText.First("Sender", PacerFieldText.Archiva),
        ("Thread.Sleep(TimeSpan.FromMilliseconds(500));", "ArchivaPacer.WaitTurn();"));

    [Fact]
    public Task The_pacer_field_another_fix_wrote_for_the_API_is_reused()
    {
        // The field as the RL0001 fix writes it for the same endpoint: the wait takes its turns there, with no second field.
        var source = RL0008Cases.Reported["Task.Delay(100) in a paging loop against 1 request per second"]
            .Replace(RL0008Cases.Usings, RL0008Cases.Usings + FixedText.RuntimeUsing)
            .Replace("class Export\n{\n", "class Export\n{\n" + PacerFieldText.Agora);
        var fixedSource = source.Replace("await [|Task.Delay(100, cancellationToken)|];", "await AgoraPacer.WaitTurnAsync(cancellationToken);");
        return Verify.VerifyCodeFixAsync(source, fixedSource);
    }

    [Fact]
    public Task No_fix_for_a_loop_with_several_fixed_waits()
    {
        var source = RL0008Cases.Reported["two short delays that add up to less than the interval"];
        return Verify.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task No_fix_is_offered_when_the_runtime_is_not_emitted() => Verify.VerifyNoFixWithoutRuntimeAsync(
        RL0008Cases.Reported["Task.Delay(100) in a paging loop against 1 request per second"]);
}
