using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Configuration;

/// <summary>
/// Finds the <c>.editorconfig</c> line where the user wrote a value, so RL9001 can point at it. The compiler hands
/// analyzers the merged options without saying where they came from, and analyzers must not read files themselves;
/// the package's build props pass the project's <c>.editorconfig</c> and <c>.globalconfig</c> files
/// (<c>@(EditorConfigFiles)</c>) as additional files, and this reads those. Without them, the location is unknown.
/// </summary>
/// <remarks>
/// The line is the one that gave the tree its value: among the <c>.editorconfig</c> files in the tree's folder and
/// above, nearest first, then the global configs, the last <c>key = value</c> line whose key and value are the ones
/// read. Matching on the value as well as the key stands in for matching section globs: a line that set the same key
/// to another value did not produce the value reported.
/// </remarks>
internal sealed class EditorConfigLines
{
    // The compiler's own reading of a property line: key, '=' or ':', value, an optional '#' or ';' comment.
    private static readonly Regex s_property = new(@"^\s*([\w\.\-_]+)\s*[=:]\s*(.*?)\s*([#;].*)?$", RegexOptions.CultureInvariant);
    private static readonly Regex s_global = new(@"^\s*is_global\s*[=:]\s*true\s*([#;].*)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private readonly ImmutableArray<AdditionalText> _files;

    private EditorConfigLines(ImmutableArray<AdditionalText> files) => _files = files;

    public static EditorConfigLines From(ImmutableArray<AdditionalText> additionalFiles) =>
        new(additionalFiles.Where(f => IsConfigFile(f.Path)).ToImmutableArray());

    /// <summary>Where <paramref name="key"/> was set to <paramref name="value"/> for the tree at <paramref name="treePath"/>; null when no config file passed in says.</summary>
    public Location? Find(string? treePath, string key, string value, CancellationToken cancellationToken)
    {
        if (_files.IsEmpty)
        {
            return null;
        }

        var folder = string.IsNullOrEmpty(treePath) ? null : Normalize(Path.GetDirectoryName(treePath));
        var candidates = _files
            .Select(file => (File: file, Text: file.GetText(cancellationToken), Folder: Normalize(Path.GetDirectoryName(file.Path))))
            .Where(c => c.Text is not null)
            .Select(c => (c.File, Text: c.Text!, Global: IsGlobal(c.Text!), c.Folder))
            // A folder's .editorconfig applies to the trees below it; a config that is not named so only if global.
            .Where(c => c.Global || (folder is not null && IsFolderConfig(c.File.Path) && IsAtOrAbove(c.Folder, folder)))
            // Nearest .editorconfig first (it wins over those above it), global configs last.
            .OrderBy(c => c.Global ? 1 : 0)
            .ThenByDescending(c => c.Folder.Length);

        foreach (var (file, text, _, _) in candidates)
        {
            if (LastLineSetting(text, key, value) is { } line)
            {
                return Location.Create(file.Path, line, text.Lines.GetLinePositionSpan(line));
            }
        }

        return null;
    }

    private static TextSpan? LastLineSetting(SourceText text, string key, string value)
    {
        TextSpan? found = null;
        foreach (var line in text.Lines)
        {
            var content = line.ToString();
            var match = s_property.Match(content);
            if (match.Success
                && string.Equals(match.Groups[1].Value, key, StringComparison.OrdinalIgnoreCase)
                && string.Equals(match.Groups[2].Value, value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                // From the key to the end of the value: the text the user has to change.
                var valueGroup = match.Groups[2];
                var end = valueGroup.Length > 0 ? valueGroup.Index + valueGroup.Length : match.Groups[1].Index + match.Groups[1].Length;
                found = TextSpan.FromBounds(line.Start + match.Groups[1].Index, line.Start + end);
            }
        }

        return found;
    }

    private static bool IsConfigFile(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".editorconfig", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".globalconfig", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsFolderConfig(string path) => string.Equals(Path.GetFileName(path), ".editorconfig", StringComparison.OrdinalIgnoreCase);

    private static bool IsGlobal(SourceText text)
    {
        foreach (var line in text.Lines)
        {
            var content = line.ToString().Trim();
            if (content.Length == 0 || content[0] == '#' || content[0] == ';')
            {
                continue;
            }

            // is_global must come before any section to count.
            return s_global.IsMatch(content);
        }

        return false;
    }

    private static bool IsAtOrAbove(string configFolder, string treeFolder) =>
        treeFolder.Equals(configFolder, StringComparison.OrdinalIgnoreCase)
        || treeFolder.StartsWith(configFolder.EndsWith("/", StringComparison.Ordinal) ? configFolder : configFolder + "/", StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string? folder) => (folder ?? string.Empty).Replace('\\', '/');
}
