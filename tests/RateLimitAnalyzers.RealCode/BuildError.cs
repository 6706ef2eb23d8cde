using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace RateLimitAnalyzers.RealCode;

/// <summary>An error line of MSBuild's console output, with the project it names in its trailing brackets.</summary>
internal sealed record BuildError(string Project, string Code, string Text)
{
    // "file(12,5): error CS0246: text [/path/X.csproj::TargetFramework=net8.0]": the project is in the brackets.
    // Errors of the build as a whole (no brackets) get an empty project; a task's error may have no code. The
    // word "error" counts only where MSBuild's format puts the category, right after the origin's colon, not
    // inside a warning's text.
    private static readonly Regex ErrorLine = new(
        @"^(?<text>[^:]*:\s*(\w+\s+)?error(\s+(?<code>[A-Za-z]+\d+))?\s*:.*?)\s*(\[(?<project>[^\[\]]+?\.(sln|slnx|csproj|vbproj|fsproj|proj))(::[^\]]*)?\])?\s*$",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    // "/path/X.csproj : error NU1101: text [/path/Y.sln]": restore names the project first and the solution last;
    // "/path/X.csproj(283,3): error MSB4019: ..." is an error in the project file itself.
    private static readonly Regex LeadingProject = new(
        @"^(?<project>\S[^:]*?\.(csproj|vbproj|fsproj))(\(\d+(,\d+)*\))?\s*:\s*error\b",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static IEnumerable<BuildError> Parse(IEnumerable<string> outputLines)
    {
        var seen = new HashSet<(string, string)>();
        foreach (var line in outputLines)
        {
            var match = ErrorLine.Match(line.Trim());
            if (!match.Success)
            {
                continue;
            }

            var leading = LeadingProject.Match(match.Groups["text"].Value);
            var project = leading.Success ? leading.Groups["project"].Value : match.Groups["project"].Value;
            if (seen.Add((project, match.Groups["text"].Value)))
            {
                yield return new BuildError(project, match.Groups["code"].Value, match.Groups["text"].Value);
            }
        }
    }

    public override string ToString() => Text.Length > 240 ? Text.Substring(0, 240) + "..." : Text;
}
