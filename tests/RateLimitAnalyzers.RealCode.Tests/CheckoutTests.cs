using System;
using System.IO;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.RealCode.Tests;

public sealed class CheckoutTests : IDisposable
{
    private readonly TemporaryCheckout _checkout = new();

    private string Root => _checkout.Root;

    public void Dispose() => _checkout.Dispose();

    private string Touch(string relative) => _checkout.Touch(relative);

    [Fact]
    public void Builds_the_shallowest_solutions_and_one_format_of_each()
    {
        Touch("src/App.sln");
        var slnx = Touch("src/App.slnx");
        var tools = Touch("src/Tools.sln");
        Touch("src/samples/Samples.sln");
        Touch("src/App.sln.DotSettings");

        var checkout = Checkout.Discover(Root);

        Assert.Equal(new[] { slnx, tools }.OrderBy(p => p, StringComparer.Ordinal), checkout.EntryPoints);
    }

    [Fact]
    public void Without_a_solution_builds_every_project_and_skips_build_outputs()
    {
        var lib = Touch("Lib/Lib.csproj");
        var cli = Touch("Cli/Cli.csproj");
        Touch("Lib/obj/Debug/Copy.csproj");
        Touch("Cli/bin/Release/Copy.csproj");
        Touch("Lib/Lib.fsproj");

        var checkout = Checkout.Discover(Root);

        Assert.Equal(new[] { cli, lib }, checkout.EntryPoints);
        Assert.Equal(new[] { cli, lib }, checkout.Projects);
    }

    [Fact]
    public void Lists_the_projects_no_solution_names_too()
    {
        Touch("All.sln");
        var lib = Touch("src/Lib/Lib.csproj");
        var sample = Touch("samples/Sample/Sample.csproj");

        var checkout = Checkout.Discover(Root);

        Assert.Equal(new[] { Path.Combine(Root, "All.sln") }, checkout.EntryPoints);
        Assert.Equal(new[] { sample, lib }, checkout.Projects);
    }

    [Fact]
    public void A_missing_checkout_is_a_clear_error()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Checkout.Discover(Path.Combine(Root, "missing")));
    }
}
