using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;
using Verify = RateLimitAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<RateLimitAnalyzers.Rules.RL9001InvalidConfigurationValueAnalyzer>;

namespace RateLimitAnalyzers.Tests.Rules;

/// <summary>
/// RL9001 over .editorconfig values. The package's props pass the project's config files as additional files, so a
/// test passes each one twice: as the compiler reads it (an analyzer config) and as the analyzer reads it.
/// </summary>
public class RL9001InvalidConfigurationValueTests
{
    private const string Source = """
        using System.Net.Http;
        using System.Threading.Tasks;

        class Client
        {
            public Task<string> FetchAsync(HttpClient client) => client.GetStringAsync("https://api.example.com/items");
        }
        """;

    private const string ExpectedQuota = "'1 per second' is not a quota window; expected " + QuotaText.Syntax + "; using 1/1s";

    [Fact]
    public Task A_bad_quota_is_reported_at_its_editorconfig_line()
    {
        var test = Test(("/.editorconfig", """
            root = true

            [*.cs]
            indent_size = 4
            rate_limit_analyzers.default_quota = 1 per second
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfigurationValue)
            .WithSpan("/.editorconfig", 5, 1, 5, 50)
            .WithArguments(".editorconfig key", "rate_limit_analyzers.default_quota", "1 per second", ExpectedQuota));
        return test.RunAsync();
    }

    [Fact]
    public Task The_nearest_editorconfig_that_set_the_value_is_the_one_reported()
    {
        // The folder's own file overrides the root's value for the source in it: only the value in force is reported.
        var test = Test(
            ("/.editorconfig", """
                root = true
                [*.cs]
                rate_limit_analyzers.report_unseen_clients = yes
                """),
            ("/0/.editorconfig", """
                [*.cs]
                # strict mode for this folder
                rate_limit_analyzers.report_unseen_clients = always
                """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfigurationValue)
            .WithSpan("/0/.editorconfig", 3, 1, 3, 52)
            .WithArguments(".editorconfig key", "rate_limit_analyzers.report_unseen_clients", "always", "expected 'true' or 'false'; using false"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_later_section_that_set_the_value_is_the_line_reported_and_a_trailing_comment_is_not_part_of_it()
    {
        var test = Test(("/.editorconfig", """
            root = true
            [*.cs]
            rate_limit_analyzers.pacing_methods = Throttle.Wait
            [{Test0,Other}.cs]
            rate_limit_analyzers.pacing_methods = Throttle.Wait, 42 # the second one is a typo
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfigurationValue)
            .WithSpan("/.editorconfig", 5, 1, 5, 56)
            .WithArguments(
                ".editorconfig key",
                "rate_limit_analyzers.pacing_methods",
                "Throttle.Wait, 42",
                "'42' is not a method name; expected Namespace.Type.Method or M:Namespace.Type.Method, comma-separated"));
        return test.RunAsync();
    }

    [Fact]
    public Task A_bad_value_in_a_global_config_is_reported_at_its_line()
    {
        var test = Test(("/.globalconfig", """
            is_global = true
            rate_limit_analyzers.default_quota = 10 per minute
            """));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfigurationValue)
            .WithSpan("/.globalconfig", 2, 1, 2, 51)
            .WithArguments(
                ".editorconfig key",
                "rate_limit_analyzers.default_quota",
                "10 per minute",
                "'10 per minute' is not a quota window; expected " + QuotaText.Syntax + "; using 1/1s"));
        return test.RunAsync();
    }

    [Fact]
    public Task Without_the_config_files_as_additional_files_the_diagnostic_still_names_the_key_and_value()
    {
        // A build without the package's props (an analyzer added by hand) does not pass them.
        var test = new Verify.Test { TestCode = Source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nrate_limit_analyzers.default_quota = 1 per second\n"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(RuleIdentifiers.InvalidConfigurationValue)
            .WithArguments(".editorconfig key", "rate_limit_analyzers.default_quota", "1 per second", ExpectedQuota));
        return test.RunAsync();
    }

    [Fact]
    public Task Valid_values_and_unreadable_config_lines_report_nothing_and_crash_nothing()
    {
        var test = Test(("/.editorconfig", """
            root = true
            this line is not a property
            [*.{cs
            = value without a key
            [*.cs]
            rate_limit_analyzers.default_quota = 10/1s, 1000/1d
            rate_limit_analyzers.report_unseen_clients = TRUE
            rate_limit_analyzers.pacing_methods = M:Throttle.Gate.WaitAsync(System.Threading.CancellationToken)
            """));
        return test.RunAsync();
    }

    private static Verify.Test Test(params (string Path, string Text)[] configs)
    {
        var test = new Verify.Test { TestCode = Source };
        foreach (var config in configs)
        {
            test.TestState.AnalyzerConfigFiles.Add(config);
            test.TestState.AdditionalFiles.Add(config);
        }

        return test;
    }
}
