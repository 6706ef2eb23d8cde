using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace RateLimitAnalyzers.Tests;

/// <summary>Files of the repository the tests run in: the docs they hold to the code, the presets the package ships.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string file) => Path.Combine(Root, file);

    public static string Read(string file) => File.ReadAllText(PathOf(file));

    /// <summary>A property as Directory.Build.props sets it, the one place the repository writes it.</summary>
    public static string BuildProperty(string name) =>
        XDocument.Load(PathOf("Directory.Build.props")).Descendants(name).Single().Value;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RateLimitAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository; RateLimitAnalyzers.sln is not found above " + AppContext.BaseDirectory);
    }
}
