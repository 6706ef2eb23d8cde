using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.RealCode.Tests;

public class BuildErrorTests
{
    [Fact]
    public void A_compile_error_belongs_to_the_project_in_its_brackets()
    {
        var error = BuildError.Parse(new[]
        {
            "  /r/Lib/Client.cs(12,5): error CS0246: The type or namespace name 'Foo' could not be found [/r/Lib/Lib.csproj::TargetFramework=net8.0]",
        }).Single();

        Assert.Equal("/r/Lib/Lib.csproj", error.Project);
        Assert.Equal("CS0246", error.Code);
        Assert.StartsWith("/r/Lib/Client.cs(12,5): error CS0246", error.Text);
    }

    [Fact]
    public void A_restore_error_belongs_to_the_project_it_starts_with_not_the_solution()
    {
        var error = BuildError.Parse(new[]
        {
            "/r/Lib/Lib.csproj : error NU1101: Unable to find package Foo. No packages exist with this id in source(s): nuget.org [/r/All.sln]",
        }).Single();

        Assert.Equal("/r/Lib/Lib.csproj", error.Project);
        Assert.Equal("NU1101", error.Code);
    }

    [Fact]
    public void An_error_in_a_project_file_belongs_to_that_project()
    {
        var error = BuildError.Parse(new[]
        {
            "/r/Old App/App.csproj(283,3): error MSB4019: The imported project \"/sdk/WebApplications/Microsoft.WebApplication.targets\" was not found.",
        }).Single();

        Assert.Equal("/r/Old App/App.csproj", error.Project);
        Assert.Equal("MSB4019", error.Code);
    }

    [Fact]
    public void A_task_error_without_a_code_still_fails_its_project()
    {
        var error = BuildError.Parse(new[]
        {
            "/n/sourcelink.targets(36,5): error : The value passed to task parameter RepositoryUrl is not a valid host URI [/r/Lib/Lib.csproj::TargetFramework=net8.0]",
        }).Single();

        Assert.Equal("/r/Lib/Lib.csproj", error.Project);
        Assert.Equal("", error.Code);
    }

    [Fact]
    public void An_error_of_the_whole_build_has_no_project()
    {
        var error = BuildError.Parse(new[] { "MSBUILD : error MSB1009: Project file does not exist." }).Single();

        Assert.Equal("", error.Project);
        Assert.Equal("MSB1009", error.Code);
    }

    [Fact]
    public void Warnings_and_other_lines_are_not_errors_and_repeats_count_once()
    {
        var line = "/r/A.cs(1,1): error CS1002: ; expected [/r/A/A.csproj::TargetFramework=net8.0]";
        var errors = BuildError.Parse(new[]
        {
            "/r/A.cs(3,3): warning CS0618: 'X' is obsolete: error: use Y [/r/A/A.csproj]",
            "Build FAILED.",
            line,
            line,
        }).ToList();

        Assert.Single(errors);
        Assert.Equal("/r/A/A.csproj", errors[0].Project);
    }
}
