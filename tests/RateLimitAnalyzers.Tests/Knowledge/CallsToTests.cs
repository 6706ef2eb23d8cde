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

    private static IMethodSymbol Method(Compilation compilation, string type, string name) =>
        compilation.GetTypeByMetadataName(type)!.GetMembers(name).OfType<IMethodSymbol>().Single();
}
