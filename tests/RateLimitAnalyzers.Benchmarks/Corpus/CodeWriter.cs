using System.Text;

namespace RateLimitAnalyzers.Benchmarks.Corpus;

/// <summary>Writes C# line by line with braces and indentation, so templates read like the code they emit.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public CodeWriter Lines(params string[] lines)
    {
        foreach (var line in lines)
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents until <see cref="Close"/>.</summary>
    public CodeWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public CodeWriter Usings(params string[] namespaces)
    {
        foreach (var name in namespaces)
        {
            Line("using " + name + ";");
        }

        return Line();
    }

    public override string ToString() => _text.ToString();
}
