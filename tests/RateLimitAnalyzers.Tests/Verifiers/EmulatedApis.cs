using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>
/// A consumer project compiled, with the runtime the generator emits, into an assembly loaded in this process, whose
/// requests go to <see cref="Respond"/> instead of the network. Two types of the same simple name are compiled in
/// beside the consumer's code to point it there without changing a line of it: a <c>HttpClientHandler</c> in the
/// runtime's namespace, which the runtime's <c>RateLimitedHandler</c> sends through, and a <c>HttpClient</c> in the
/// consumer's, whose parameterless constructor sends through the same place. A type of the enclosing namespace wins
/// over one a using directive imports, so both are what the unchanged code names.
/// </summary>
internal sealed class EmulatedApis : IDisposable
{
    private const string Redirect = """
        namespace RateLimitAnalyzers.Pacing
        {
            internal sealed class HttpClientHandler : System.Net.Http.HttpMessageHandler
            {
                protected override System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken) =>
                    {0}.EmulatedServers.Respond!(request, cancellationToken);
            }
        }

        namespace {0}
        {
            public static class EmulatedServers
            {
                public static System.Func<System.Net.Http.HttpRequestMessage, System.Threading.CancellationToken, System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage>>? Respond;
            }

            public sealed class ToEmulatedServers : System.Net.Http.HttpMessageHandler
            {
                protected override System.Threading.Tasks.Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, System.Threading.CancellationToken cancellationToken) =>
                    EmulatedServers.Respond!(request, cancellationToken);
            }

            public class HttpClient : System.Net.Http.HttpClient
            {
                public HttpClient()
                    : base(new ToEmulatedServers())
                {
                }

                public HttpClient(System.Net.Http.HttpMessageHandler handler)
                    : base(handler)
                {
                }

                public HttpClient(System.Net.Http.HttpMessageHandler handler, bool disposeHandler)
                    : base(handler, disposeHandler)
                {
                }
            }
        }
        """;

    private readonly AssemblyLoadContext _context;

    private EmulatedApis(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    /// <summary>
    /// Compiles <paramref name="project"/> (the consumer's files, in namespace <paramref name="consumerNamespace"/>) with
    /// the runtime and loads it; <paramref name="respond"/> answers every request it sends.
    /// </summary>
    public static async Task<EmulatedApis> LoadAsync(Project project, string consumerNamespace, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        var withRuntime = await ComposedFixes.WithRuntimeAsync(project);
        var compilation = (await withRuntime.GetCompilationAsync())!
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(Redirect.Replace("{0}", consumerNamespace), (CSharpParseOptions)withRuntime.ParseOptions!, "/Emulation/Redirect.cs"));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The fixed code does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        image.Position = 0;
        var context = new AssemblyLoadContext("Consumer", isCollectible: true);
        var assembly = context.LoadFromStream(image);
        assembly.GetType(consumerNamespace + ".EmulatedServers", throwOnError: true)!.GetField("Respond")!.SetValue(null, respond);
        return new EmulatedApis(context, assembly);
    }

    /// <summary>A new instance of the consumer's type <paramref name="typeName"/>, made with <paramref name="arguments"/>.</summary>
    public object Create(string typeName, params object[] arguments) =>
        Activator.CreateInstance(Assembly.GetType(typeName, throwOnError: true)!, arguments)!;

    /// <summary>A client of the consumer's, as its own parameterless <c>new HttpClient()</c> makes one.</summary>
    public object CreateClient(string consumerNamespace) => Create(consumerNamespace + ".HttpClient");

    /// <summary>Calls <paramref name="method"/> on <paramref name="instance"/> and awaits the task it returns.</summary>
    public static async Task<object?> CallAsync(object instance, string method, params object[] arguments)
    {
        var task = (Task)instance.GetType().GetMethod(method)!.Invoke(instance, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    public void Dispose() => _context.Unload();
}
