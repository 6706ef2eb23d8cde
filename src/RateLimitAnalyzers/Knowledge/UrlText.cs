using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// The text of a request URL as far as the code shows it: literals, constants, interpolated and
/// concatenated strings, <c>new Uri(...)</c>. Parts only known at run time become <c>{0}</c>, which the
/// endpoint catalog matches against a <c>{param}</c> segment but never against a literal one.
/// </summary>
internal static class UrlText
{
    public const string Hole = "{0}";

    // Locals are followed to their initializers this many times ("var url = baseUrl + path").
    private const int MaxLocalHops = 4;

    public static string? Evaluate(IOperation value, INamedTypeSymbol? uriType)
    {
        var text = EvaluateOrHole(value, uriType, MaxLocalHops);
        return text is null || text.Replace(Hole, string.Empty).Trim().Length == 0 ? null : text;
    }

    public static IOperation SkipConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static string? EvaluateOrHole(IOperation value, INamedTypeSymbol? uriType, int hops)
    {
        value = SkipConversions(value);
        if (value.ConstantValue.HasValue)
        {
            return value.ConstantValue.Value as string;
        }

        switch (value)
        {
            case IInterpolatedStringOperation interpolated:
                var builder = new StringBuilder();
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation text)
                    {
                        builder.Append(text.Text.ConstantValue.Value as string);
                    }
                    else if (part is IInterpolationOperation hole)
                    {
                        builder.Append(hole.Expression.ConstantValue.HasValue ? hole.Expression.ConstantValue.Value?.ToString() : (hole.Expression.Type?.SpecialType == SpecialType.System_String ? EvaluateOrHole(hole.Expression, uriType, hops) : null) ?? Hole);
                    }
                }

                return builder.ToString();

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation when concatenation.Type?.SpecialType == SpecialType.System_String:
                return (EvaluateOrHole(concatenation.LeftOperand, uriType, hops) ?? Hole) + (EvaluateOrHole(concatenation.RightOperand, uriType, hops) ?? Hole);

            case IObjectCreationOperation creation when uriType is not null && SymbolEqualityComparer.Default.Equals(creation.Type, uriType) && creation.Arguments.Length > 0:
                var first = EvaluateOrHole(creation.Arguments[0].Value, uriType, hops);
                if (creation.Arguments.Length >= 2 && creation.Arguments[1].Value.Type?.SpecialType == SpecialType.System_String)
                {
                    // new Uri(baseUri, "relative"): the relative part resolves against the base.
                    var relative = EvaluateOrHole(creation.Arguments[1].Value, uriType, hops);
                    return Combine(first, relative);
                }

                return first;

            case IConditionalOperation { WhenFalse: { } whenFalse } conditional when conditional.Type?.SpecialType == SpecialType.System_String:
                // cursor is null ? Endpoint + "?limit=100" : Endpoint + "?limit=100&cursor=" + cursor: what both branches share.
                return CommonPart(EvaluateOrHole(conditional.WhenTrue, uriType, hops), EvaluateOrHole(whenFalse, uriType, hops));

            case ILocalReferenceOperation local when hops > 0:
                return InitializerOf(local) is { } initializer ? EvaluateOrHole(initializer, uriType, hops - 1) : null;

            case IFieldReferenceOperation { Field: var field }:
                // static readonly string BaseUrl = "https://..."; read from the declaration, which needs no semantic model.
                // A field or property that is assigned elsewhere too still names the endpoint by its default.
                return DefaultOf(field);

            case IPropertyReferenceOperation { Property: var property, Arguments.IsEmpty: true }:
                // public string ApiUrlFormat { get; set; } = "https://api.openai.com/{0}/{1}";
                return DefaultOf(property);

            case IInvocationOperation { TargetMethod: { Name: "Format", ContainingType.SpecialType: SpecialType.System_String } } format:
                return Format(format, uriType, hops);

            case IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor } parameter } when hops > 0:
                // public MbClient() : this(ServiceBaseAddress) { }: a constructor parameter has what the chained constructors pass.
                var passed = ChainedArguments(constructor, parameter.Ordinal, value.SemanticModel).Select(a => EvaluateOrHole(a, uriType, hops - 1)).Distinct().ToList();
                return passed.Count == 1 ? passed[0] : null;

            default:
                return null;
        }
    }

    /// <summary>
    /// The URL two branches agree on: the same text, or their common start cut back to the last separator it reaches,
    /// with a hole where they part (<c>https://api.x.com/tickets?limit=100</c> and <c>...&amp;cursor={0}</c> share the
    /// first). Null when either is unknown or they share no more than a scheme.
    /// </summary>
    private static string? CommonPart(string? first, string? second)
    {
        if (first is null || second is null)
        {
            return null;
        }

        if (first == second)
        {
            return first;
        }

        var length = 0;
        while (length < first.Length && length < second.Length && first[length] == second[length])
        {
            length++;
        }

        if (length < first.Length && length < second.Length)
        {
            // Parted inside a segment or a value: keep only what ends at a separator.
            while (length > 0 && first[length - 1] is not ('/' or '?' or '&' or '='))
            {
                length--;
            }
        }

        var shared = first.Substring(0, length);
        var scheme = shared.IndexOf("://", StringComparison.Ordinal);
        var namesHost = scheme < 0 ? shared.Length > 0 : shared.IndexOf('/', scheme + 3) > 0;
        return namesHost ? shared + Hole : null;
    }

    /// <summary>
    /// What the type's other constructors pass for a parameter of <paramref name="constructor"/> when they chain to it
    /// (<c>: this(Create(new Uri(baseAddress)))</c>), read from the constructors in the same file.
    /// </summary>
    public static System.Collections.Generic.IEnumerable<IOperation> ChainedArguments(IMethodSymbol constructor, int ordinal, SemanticModel? model)
    {
        if (model is null)
        {
            yield break;
        }

        foreach (var other in constructor.ContainingType.InstanceConstructors)
        {
            foreach (var reference in other.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree != model.SyntaxTree
                    || reference.GetSyntax() is not ConstructorDeclarationSyntax { Initializer: { } initializer }
                    || !initializer.ThisOrBaseKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.ThisKeyword)
                    || model.GetOperation(initializer) is not IInvocationOperation chained
                    || !SymbolEqualityComparer.Default.Equals(chained.TargetMethod.OriginalDefinition, constructor.OriginalDefinition))
                {
                    continue;
                }

                foreach (var argument in chained.Arguments)
                {
                    if (argument.Parameter?.Ordinal == ordinal)
                    {
                        yield return argument.Value;
                    }
                }
            }
        }
    }

    /// <summary>The string literal a field or an auto-property is declared with.</summary>
    private static string? DefaultOf(ISymbol member)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var initializer = reference.GetSyntax() switch
            {
                VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value,
                _ => null,
            };
            if (initializer is LiteralExpressionSyntax literal && literal.Token.Value is string text)
            {
                return text;
            }
        }

        return null;
    }

    /// <summary><c>string.Format("https://api.example.com/{0}/{1}", "v1", path)</c>: the format with the arguments put in, as far as they are known.</summary>
    private static string? Format(IInvocationOperation format, INamedTypeSymbol? uriType, int hops)
    {
        var arguments = format.Arguments.Where(a => a.ArgumentKind != ArgumentKind.DefaultValue).Select(a => SkipConversions(a.Value)).ToList();
        var formatIndex = arguments.FindIndex(a => a.Type?.SpecialType == SpecialType.System_String);
        if (formatIndex < 0 || EvaluateOrHole(arguments[formatIndex], uriType, hops) is not { } text)
        {
            return null;
        }

        var values = arguments.Skip(formatIndex + 1).SelectMany(a => a is IArrayCreationOperation { Initializer: { } items } ? items.ElementValues.Select(SkipConversions) : new[] { a }).ToList();
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var close = text[i] == '{' ? text.IndexOf('}', i) : -1;
            if (close > i && int.TryParse(text.Substring(i + 1, close - i - 1).Split(',', ':')[0], out var index))
            {
                builder.Append(index < values.Count && values[index].Type?.SpecialType == SpecialType.System_String ? EvaluateOrHole(values[index], uriType, hops) ?? Hole : Hole);
                i = close;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The value a local was declared with, found in the same function body.</summary>
    public static IOperation? InitializerOf(ILocalReferenceOperation reference)
    {
        var root = Operations.Root(reference);

        foreach (var declarator in root.Descendants().OfType<IVariableDeclaratorOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local))
            {
                return declarator.GetVariableInitializer()?.Value;
            }
        }

        return null;
    }

    /// <summary>A Refit route (<c>/repos/{owner}/{repo}/issues</c>) with its parameters as holes.</summary>
    public static string? FromRoute(string? route)
    {
        if (route is null)
        {
            return null;
        }

        var text = new StringBuilder(route.Length);
        var depth = 0;
        foreach (var c in route)
        {
            if (c == '{')
            {
                if (depth++ == 0)
                {
                    text.Append(Hole);
                }
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>A request URL resolved against a client's base address the way HttpClient does (<c>new Uri(base, relative)</c>).</summary>
    public static string? Resolve(string? baseAddress, string? relative) =>
        relative is not null && relative.Contains("://") ? relative : Combine(baseAddress, relative);

    /// <summary>A Refit route under its base address: Refit appends the route to the base URL's path.</summary>
    public static string? Append(string? baseAddress, string? route) =>
        baseAddress is null ? route : route is null ? baseAddress : baseAddress.TrimEnd('/') + "/" + route.TrimStart('/');

    /// <summary>The lower-case host of an absolute URL (<c>https://api.github.com/x</c> gives <c>api.github.com</c>); null for a relative one.</summary>
    public static string? HostOf(string? url) =>
        url is not null && SplitAbsolute(url) is { } parts && parts.Authority.IndexOf(Hole, System.StringComparison.Ordinal) < 0
            ? StripPort(parts.Authority).ToLowerInvariant()
            : null;

    /// <summary>The scheme and authority of an absolute URL, <c>https://api.github.com</c>; null for a relative one.</summary>
    public static string? OriginOf(string? url) =>
        url is not null && SplitAbsolute(url) is { } parts && parts.Authority.IndexOf(Hole, System.StringComparison.Ordinal) < 0
            ? parts.Scheme + "://" + parts.Authority
            : null;

    /// <summary>
    /// Whether an absolute request URL lies under a base address the way the runtime's <c>RateLimitPolicy.BaseAddress</c>
    /// matches it: the same scheme and host (case aside) and a path that starts with the base's, whole segments only.
    /// </summary>
    public static bool IsUnder(string url, string baseAddress)
    {
        if (SplitAbsolute(url) is not { } request || SplitAbsolute(baseAddress) is not { } prefix
            || !string.Equals(request.Scheme, prefix.Scheme, System.StringComparison.OrdinalIgnoreCase)
            || !string.Equals(request.Authority, prefix.Authority, System.StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var basePath = prefix.Path.TrimEnd('/');
        var path = request.Path;
        return basePath.Length == 0
            || path.StartsWith(basePath, System.StringComparison.Ordinal) && (path.Length == basePath.Length || path[basePath.Length] == '/');
    }

    /// <summary>Scheme, authority and path (without query or fragment) of an absolute URL.</summary>
    private static (string Scheme, string Authority, string Path)? SplitAbsolute(string url)
    {
        var schemeEnd = url.IndexOf("://", System.StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var pathEnd = url.IndexOfAny(['?', '#'], authorityEnd);
        var path = url.Substring(authorityEnd, (pathEnd < 0 ? url.Length : pathEnd) - authorityEnd);
        return (url.Substring(0, schemeEnd).ToLowerInvariant(), url.Substring(authorityStart, authorityEnd - authorityStart), path.Length == 0 ? "/" : path);
    }

    private static string StripPort(string authority)
    {
        var at = authority.LastIndexOf('@');
        var host = at < 0 ? authority : authority.Substring(at + 1);
        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(']') < colon ? host.Substring(0, colon) : host;
    }

    private static string? Combine(string? baseText, string? relative)
    {
        if (relative is null)
        {
            return baseText;
        }

        if (baseText is null || relative.Contains("://"))
        {
            return relative;
        }

        if (relative.StartsWith("/", System.StringComparison.Ordinal))
        {
            var schemeEnd = baseText.IndexOf("://", System.StringComparison.Ordinal);
            var pathStart = schemeEnd < 0 ? -1 : baseText.IndexOf('/', schemeEnd + 3);
            return (pathStart < 0 ? baseText : baseText.Substring(0, pathStart)) + relative;
        }

        var lastSlash = baseText.LastIndexOf('/');
        var schemeSlashes = baseText.IndexOf("://", System.StringComparison.Ordinal) + 2;
        return lastSlash > schemeSlashes ? baseText.Substring(0, lastSlash + 1) + relative : baseText + "/" + relative;
    }
}
