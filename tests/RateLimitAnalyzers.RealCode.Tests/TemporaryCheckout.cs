using System;
using System.IO;

namespace RateLimitAnalyzers.RealCode.Tests;

/// <summary>An empty folder standing for a checkout, deleted afterwards; files in it are empty.</summary>
public sealed class TemporaryCheckout : IDisposable
{
    public TemporaryCheckout()
    {
        Root = Path.Combine(Path.GetTempPath(), "rl-realcode-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Touch(string relative)
    {
        var path = Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
