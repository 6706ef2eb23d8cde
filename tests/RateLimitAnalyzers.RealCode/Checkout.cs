using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RateLimitAnalyzers.RealCode;

/// <summary>What to build in a checked-out repository, and which C# projects it holds.</summary>
internal sealed class Checkout
{
    private static readonly string[] SolutionPatterns = { "*.slnx", "*.sln" };

    // Folders no build reads projects from: outputs and tool caches.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", ".git", ".vs", "node_modules",
    };

    private Checkout(string root, IReadOnlyList<string> entryPoints, IReadOnlyList<string> projects)
    {
        Root = root;
        EntryPoints = entryPoints;
        Projects = projects;
    }

    public string Root { get; }

    /// <summary>The solutions a developer would build: those at the root, else those in the shallowest folder
    /// that has any; with no solution at all, every project on its own.</summary>
    public IReadOnlyList<string> EntryPoints { get; }

    /// <summary>Every C# project file in the checkout, so that one no solution builds is still reported.</summary>
    public IReadOnlyList<string> Projects { get; }

    public static Checkout Discover(string path)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException("No checkout at " + root + ".");
        }

        var projects = Files(root, "*.csproj").OrderBy(p => p, StringComparer.Ordinal).ToList();
        var solutions = Files(root, SolutionPatterns)
            .GroupBy(Depth)
            .OrderBy(g => g.Key)
            .Select(g => PreferSlnx(g.ToList()))
            .FirstOrDefault() ?? new List<string>();
        return new Checkout(root, solutions.Count > 0 ? solutions : projects, projects);
    }

    public string Relative(string path) => Path.GetRelativePath(Root, path);

    // A folder with both Foo.sln and Foo.slnx holds one solution in two formats; build it once.
    private static List<string> PreferSlnx(List<string> solutions)
    {
        var slnx = new HashSet<string>(solutions.Where(s => s.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase);
        return solutions
            .Where(s => s.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase) || !slnx.Contains(Path.GetFileNameWithoutExtension(s)))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
    }

    private static int Depth(string path) => path.Count(c => c == Path.DirectorySeparatorChar);

    private static IEnumerable<string> Files(string root, params string[] patterns)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var pattern in patterns)
            {
                foreach (var file in Directory.EnumerateFiles(folder, pattern))
                {
                    // EnumerateFiles("*.sln") also matches "*.sln.DotSettings" and the like on some platforms.
                    if (pattern.EndsWith(Path.GetExtension(file), StringComparison.OrdinalIgnoreCase))
                    {
                        yield return file;
                    }
                }
            }

            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(child)))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
