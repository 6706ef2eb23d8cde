using System;

namespace PagingSample;

/// <summary>
/// This sample exists to be built, not run: `dotnet build samples/PagingSample` prints RL0001 for the
/// unpaced export in CallListExport.cs. Running it would call a real API with real credentials.
/// </summary>
internal static class Program
{
    private static int Main()
    {
        Console.WriteLine("Build this project to see RateLimitAnalyzers' RL0001 warning: dotnet build samples/PagingSample");
        return 0;
    }
}
