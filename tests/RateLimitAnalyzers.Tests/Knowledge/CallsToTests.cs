using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// The calls of a method of the user's (what RL0002 asks of a helper's callers, and what a delegate parameter is given):
/// every call that binds to it, wherever it is, and only those; a private method's are looked for inside its type only.
/// </summary>
public class CallsToTests
{
    private const string Export = """
        using System.Net.Http;
        using System.Threading.Tasks;

        partial class IssueExport
        {
            private readonly HttpClient _client = new();

            private Task<string> FetchPageAsync(int page) => _client.GetStringAsync("https://api.github.com/repos/dotnet/runtime/issues?page=" + page);

            internal Task<string> FirstAsync() => FetchPageAsync(1);

            class Nested
            {
                public Task<string> Again(IssueExport export) => export.FetchPageAsync(2);
            }
        }
        """;

    private const string ExportPart = """
        using System.Threading.Tasks;

        partial class IssueExport
        {
            public Task<string> SecondAsync() => FetchPageAsync(2);
        }
        """;

    private const string Other = """
        using System.Net.Http;
        using System.Threading.Tasks;

        class PullExport
        {
            private readonly HttpClient _client = new();

            private Task<string> FetchPageAsync(int page) => _client.GetStringAsync("https://api.github.com/repos/dotnet/runtime/pulls?page=" + page);

            public Task<string> FirstAsync() => FetchPageAsync(1);

            public Task<string> Issues(IssueExport export) => export.FirstAsync();
        }
        """;

    [Fact]
    public async Task A_private_method_is_called_in_every_part_of_its_type_and_nowhere_else()
    {
        var (compilation, knowledge) = await TestProject.KnowledgeAsync(Export, ExportPart, Other);
        var method = Method(compilation, "IssueExport", "FetchPageAsync");

        var calls = knowledge.CallsTo(method, CancellationToken.None);

        Assert.Equal(
            new[] { "FetchPageAsync(1)", "export.FetchPageAsync(2)", "FetchPageAsync(2)" }.OrderBy(c => c),
            calls.Select(c => c.Syntax.ToString()).OrderBy(c => c));
        Assert.All(calls, c => Assert.Equal(method, c.TargetMethod, SymbolEqualityComparer.Default));
    }

    [Fact]
    public async Task An_internal_method_is_called_from_other_types_and_files()
    {
        var (compilation, knowledge) = await TestProject.KnowledgeAsync(Export, ExportPart, Other);

        var calls = knowledge.CallsTo(Method(compilation, "IssueExport", "FirstAsync"), CancellationToken.None);

        Assert.Equal("export.FirstAsync()", Assert.Single(calls).Syntax.ToString());
    }

    private const string Interceptors = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;

        interface IInterceptor { Task<string> RunAsync(Func<Task<string>> next); }

        abstract class Resend { public abstract Task<string> RunAsync(Func<Task<string>> next); }

        class Retrying : IInterceptor
        {
            public Task<string> RunAsync(Func<Task<string>> next) => next();
        }

        class Logging : IInterceptor
        {
            Task<string> IInterceptor.RunAsync(Func<Task<string>> next) => next();
        }

        class ResendOnce : Resend
        {
            public override Task<string> RunAsync(Func<Task<string>> next) => next();
        }

        class Client
        {
            private readonly HttpClient _http = new();

            public Task<string> Get(IInterceptor interceptor) => interceptor.RunAsync(() => _http.GetStringAsync("https://api.example.com/items"));

            public Task<string> Direct(Retrying retrying) => retrying.RunAsync(() => Task.FromResult(""));

            public Task<string> Again(Resend resend) => resend.RunAsync(() => _http.GetStringAsync("https://api.example.com/items"));
        }
        """;

    [Fact]
    public async Task An_implementation_is_run_by_calls_of_the_interface_method_and_by_its_own()
    {
        var (compilation, knowledge) = await TestProject.KnowledgeAsync(Interceptors);

        var calls = knowledge.CallsTo(Method(compilation, "Retrying", "RunAsync"), CancellationToken.None);

        Assert.Equal(
            new[] { "interceptor.RunAsync(() => _http.GetStringAsync(\"https://api.example.com/items\"))", "retrying.RunAsync(() => Task.FromResult(\"\"))" }.OrderBy(c => c),
            calls.Select(c => c.Syntax.ToString()).OrderBy(c => c));
    }

    [Fact]
    public async Task An_explicit_implementation_and_an_override_are_run_by_the_calls_of_what_they_implement()
    {
        var (compilation, knowledge) = await TestProject.KnowledgeAsync(Interceptors);
        var explicitImplementation = compilation.GetTypeByMetadataName("Logging")!.GetMembers().OfType<IMethodSymbol>().Single(m => m.MethodKind == MethodKind.ExplicitInterfaceImplementation);

        Assert.StartsWith("interceptor.RunAsync(", Assert.Single(knowledge.CallsTo(explicitImplementation, CancellationToken.None)).Syntax.ToString());
        Assert.StartsWith("resend.RunAsync(", Assert.Single(knowledge.CallsTo(Method(compilation, "ResendOnce", "RunAsync"), CancellationToken.None)).Syntax.ToString());
    }

    private static IMethodSymbol Method(Compilation compilation, string type, string name) =>
        compilation.GetTypeByMetadataName(type)!.GetMembers(name).OfType<IMethodSymbol>().Single();
}
