using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// RL0001, RL0006, RL0008 and the retry rules ask about the same loops, and RL0003 and RL0004 about the same functions,
/// in the operations their file's shared semantic model gives them: the knowledge works each out once and every rule
/// reads that answer.
/// </summary>
public class SharedAnswersTests
{
    private const string Source = """
        using System.Net;
        using System.Net.Http;
        using System.Threading.Tasks;

        class Issues
        {
            public async Task<string> FetchAsync(HttpClient client, string url, int attempt = 0)
            {
                var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 3)
                {
                    await Task.Delay(2000);
                    return await FetchAsync(client, url, attempt + 1);
                }

                var page = 1;
                while (true)
                {
                    var body = await client.GetStringAsync("https://api.github.com/repos/dotnet/runtime/issues?page=" + page);
                    if (body == "[]") break;
                    page++;
                }

                return await response.Content.ReadAsStringAsync();
            }
        }
        """;

    [Fact]
    public async Task A_loop_is_analysed_once_for_every_rule()
    {
        var (knowledge, method, model) = await CompileAsync();
        var loop = (ILoopOperation)model.GetOperation(method.DescendantNodes().OfType<WhileStatementSyntax>().Single())!;

        var first = RequestLoop.Analyze(loop, knowledge, CancellationToken.None);

        Assert.True(first.IsPaging);
        Assert.Same(first, RequestLoop.Analyze(loop, knowledge, CancellationToken.None));
    }

    [Fact]
    public async Task A_function_is_analysed_once_for_both_retry_rules()
    {
        var (knowledge, method, model) = await CompileAsync();
        var retries = RetryKnowledge.For(model.Compilation, TestProject.NoOptions, CancellationToken.None)!;
        Assert.Same(knowledge, retries.Http);
        var body = model.GetOperation(method)!;
        var function = model.GetDeclaredSymbol(method)!;

        var first = retries.AnalyzeFunction(body, function, CancellationToken.None);

        Assert.True(first.IsRetry);
        Assert.Same(first, retries.AnalyzeFunction(body, function, CancellationToken.None));
    }

    private static async Task<(HttpKnowledge Knowledge, MethodDeclarationSyntax Method, SemanticModel Model)> CompileAsync()
    {
        var (compilation, knowledge) = await TestProject.KnowledgeAsync(Source);
        var tree = compilation.SyntaxTrees.Single();
        return (knowledge, tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(), compilation.GetSemanticModel(tree));
    }
}
