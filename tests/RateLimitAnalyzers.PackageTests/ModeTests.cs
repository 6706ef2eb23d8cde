using System.IO;
using Xunit;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>
/// RateLimitAnalyzersMode as a user sets it, through the package's own targets: recommended by default, strict makes
/// our rules errors and nobody else's, none silences them, and a mode we do not know says so. And the restore that
/// brought the package in left nothing in the user's global packages folder.
/// </summary>
[Collection(PackedPackageCollection.Name)]
public sealed class ModeTests
{
    // CA2200 is a warning in every SDK's default analysis level: the rule of another package that strict must not raise.
    private const string Rethrow = """
        namespace Consumer
        {
            public static class Rethrow
            {
                public static void Run(System.Action action)
                {
                    try { action(); }
                    catch (System.Exception ex) { throw ex; }
                }
            }
        }
        """;

    private readonly PackedPackage _package;

    public ModeTests(PackedPackage package) => _package = package;

    [Fact]
    public void Each_mode_sets_our_rules_and_only_ours_and_the_restore_leaves_nothing_in_the_users_packages_folder()
    {
        var consumer = ConsumerProject.Create(_package, "modes", "net10.0", "latest", Rethrow);

        var ours = Path.Combine("ratelimitanalyzers", _package.Version);
        Assert.True(Directory.Exists(Path.Combine(_package.PackagesDirectory, ours)), "The restore should use the run's own packages folder.");
        Assert.False(Directory.Exists(Path.Combine(_package.UserPackagesDirectory, ours)), "The restore wrote to the user's packages folder " + _package.UserPackagesDirectory);

        var recommended = consumer.Run("build", "--no-incremental");
        Assert.True(recommended.ExitCode == 0, recommended.ToString());
        Assert.Contains("warning RL0001", recommended.Output);
        Assert.Contains("warning CA2200", recommended.Output);

        var strict = consumer.Run("build", "--no-incremental", "-p:RateLimitAnalyzersMode=strict");
        Assert.True(strict.ExitCode != 0, "strict should fail the build.\n" + strict);
        Assert.Contains("error RL0001", strict.Output);
        Assert.Contains("warning CA2200", strict.Output);
        Assert.DoesNotContain("error CA2200", strict.Output);

        var none = consumer.Run("build", "--no-incremental", "-p:RateLimitAnalyzersMode=none");
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.DoesNotContain("RL0001", none.Output);
        Assert.Contains("warning CA2200", none.Output);

        var unknown = consumer.Run("build", "--no-incremental", "-p:RateLimitAnalyzersMode=strcit");
        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Contains("warning RL9001: MSBuild property 'RateLimitAnalyzersMode' has the value 'strcit'", unknown.Output);
        Assert.Contains("warning RL0001", unknown.Output);
    }
}
