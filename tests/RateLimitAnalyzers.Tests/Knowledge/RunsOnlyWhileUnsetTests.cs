using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// Which code runs once because it runs only while a member of its object is unset, and sets it
/// (<see cref="Operations.RunsOnlyWhileUnset"/>): each method below calls <c>Fetch()</c> once, and its name says whether
/// that call runs only the first time.
/// </summary>
public class RunsOnlyWhileUnsetTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Cache
        {
            private string? _value;
            private static string? s_shared;
            private string? Value { get; set; }
            private readonly Cache _other = new();
            private string? _unrelated;

            private Task<string> Fetch() => Task.FromResult("");

            async Task<string> Once_coalescing_into_a_field() => _value ??= await Fetch();
            string Once_coalescing_into_a_property_through_Result() => Value ??= Fetch().Result;
            async Task<string> Once_coalescing_into_a_static() => s_shared ??= await Fetch().ConfigureAwait(false);
            async Task Once_under_an_is_null_test_that_sets_it()
            {
                if (_value is null)
                {
                    var text = await Fetch();
                    _value = text.Trim();
                }
            }
            async Task Once_under_an_equals_null_test_that_sets_it()
            {
                if (null == Value) Value = await Fetch();
            }

            async Task Every_time_coalescing_into_a_parameter(string? text) { text ??= await Fetch(); }
            async Task Every_time_coalescing_into_another_objects_field() { _other._value ??= await Fetch(); }
            async Task Every_time_under_a_test_that_does_not_set_it()
            {
                if (_value is null) _unrelated = await Fetch();
            }
            async Task Every_time_under_a_not_null_test()
            {
                if (_value != null) _value = await Fetch();
            }
            async Task Every_time_in_the_else_branch()
            {
                if (_value is null) { } else { _value = await Fetch(); }
            }
            async Task Every_time_in_a_loop_under_the_test(List<int> ids)
            {
                if (_value is null)
                {
                    foreach (var id in ids) _value += await Fetch();
                }
            }
            async Task Every_time_in_a_lambda_under_the_test()
            {
                if (_value is null)
                {
                    System.Func<Task<string>> later = () => Fetch();
                    _value = await later();
                }
            }
        }
        """;

    [Fact]
    public async Task Code_runs_once_only_where_it_sets_the_member_it_tests_for_null()
    {
        var (compilation, _) = await TestProject.KnowledgeAsync(Source);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.ValueText != "Fetch").ToList();
        Assert.Equal(12, methods.Count);

        foreach (var method in methods)
        {
            var fetch = method.DescendantNodes().OfType<InvocationExpressionSyntax>().Single(call => call.Expression is IdentifierNameSyntax { Identifier.ValueText: "Fetch" });
            var operation = (IInvocationOperation)model.GetOperation(fetch)!;
            var name = method.Identifier.ValueText;
            Assert.True(name.StartsWith("Once_", System.StringComparison.Ordinal) == Operations.RunsOnlyWhileUnset(operation), name);
        }
    }
}
