using System.Text.Json;
using System.Text.RegularExpressions;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests;

/// <summary>
/// Docker cannot run here, so the Dockerfile is checked by reading it: its SDK image must satisfy
/// global.json (a bump of one without the other fails here, not in the Space's build), its runtime
/// image must be the same major.minor, and everything it copies from the repository must exist.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "Dockerfile"));

    [Fact]
    public void SdkImage_SatisfiesGlobalJson()
    {
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "global.json")));
        var sdk = globalJson.RootElement.GetProperty("sdk");
        var required = sdk.GetProperty("version").GetString()!;
        var rollForward = sdk.TryGetProperty("rollForward", out var policy) ? policy.GetString()! : "latestPatch";

        var image = ImageVersion("mcr.microsoft.com/dotnet/sdk");

        Assert.True(Satisfies(required, rollForward, image), $"sdk image {image} does not satisfy global.json {required} (rollForward {rollForward})");
    }

    [Fact]
    public void ChaoslabCommand_RunsTheEntryPointsAssembly()
    {
        var entryPoint = Regex.Match(Lines.Single(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)), @"""([^""]+\.dll)""").Groups[1].Value;
        var wrapper = Lines.Single(l => l.Contains("/usr/local/bin/chaoslab", StringComparison.Ordinal));

        Assert.Contains($"exec dotnet /app/{entryPoint} \"$@\"", wrapper, StringComparison.Ordinal);
        Assert.Contains("chmod 755 /usr/local/bin/chaoslab", wrapper, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeImage_SameMajorMinorAsSdkImage()
    {
        var sdk = Version.Parse(ImageVersion("mcr.microsoft.com/dotnet/sdk"));
        var runtime = Version.Parse(ImageVersion("mcr.microsoft.com/dotnet/aspnet"));

        Assert.Equal((sdk.Major, sdk.Minor), (runtime.Major, runtime.Minor));
    }

    [Fact]
    public void CopiedPaths_ExistInRepository()
    {
        var sources = Lines
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.True(Path.Exists(Path.Combine(RepositoryRoot.Path, s)), $"the Dockerfile copies {s}, which is not in the repository"));
    }

    [Fact]
    public void Space_PublishesNoMetrics()
    {
        // The ENV instruction continues over lines ending in a backslash.
        var environment = Lines.SkipWhile(l => !l.StartsWith("ENV ", StringComparison.Ordinal)).TakeWhile((l, i) => i == 0 || l.StartsWith(' ')).ToList();

        Assert.Contains(environment, l => l.Trim().TrimEnd('\\').Trim() == "ChaosLab__Metrics__Enabled=false");
    }

    [Theory]
    [InlineData("10.0.401", "latestFeature", "10.0.401", true)]
    [InlineData("10.0.401", "latestFeature", "10.0.405", true)]
    [InlineData("10.0.401", "latestFeature", "10.0.500", true)]
    [InlineData("10.0.401", "latestFeature", "10.0.400", false)]
    [InlineData("10.0.401", "latestFeature", "10.0.199", false)]
    [InlineData("10.0.401", "latestFeature", "11.0.100", false)]
    [InlineData("10.0.401", "latestPatch", "10.0.409", true)]
    [InlineData("10.0.401", "latestPatch", "10.0.500", false)]
    [InlineData("10.0.401", "latestMinor", "10.1.100", true)]
    [InlineData("10.0.401", "latestMajor", "11.0.100", true)]
    [InlineData("10.0.401", "disable", "10.0.402", false)]
    public void Satisfies_RollForwardPolicy_AsTheSdkResolverReadsIt(string required, string rollForward, string candidate, bool expected)
    {
        Assert.Equal(expected, Satisfies(required, rollForward, candidate));
    }

    /// <summary>The exact version an image is pinned to ("10.0.401-noble" gives "10.0.401"); a floating tag fails.</summary>
    private static string ImageVersion(string image)
    {
        var line = Assert.Single(Lines, l => l.StartsWith("FROM " + image + ":", StringComparison.Ordinal));
        var tag = line.Split(' ')[1][(image.Length + 1)..];
        var match = ExactVersion().Match(tag);
        Assert.True(match.Success, $"{image} is not pinned to an exact version: '{tag}'");
        return match.Groups[1].Value;
    }

    /// <summary>
    /// Whether an SDK version satisfies global.json's version and rollForward policy
    /// (https://learn.microsoft.com/dotnet/core/tools/global-json#rollforward). A version's patch
    /// field holds the feature band (hundreds) and the patch (the rest): 10.0.401 is band 4, patch 1.
    /// </summary>
    private static bool Satisfies(string required, string rollForward, string candidate)
    {
        var want = Version.Parse(required);
        var have = Version.Parse(candidate);
        var sameBand = have.Major == want.Major && have.Minor == want.Minor && have.Build / 100 == want.Build / 100;
        var sameMinor = have.Major == want.Major && have.Minor == want.Minor;
        return rollForward switch
        {
            "disable" => have == want,
            "patch" or "latestPatch" => sameBand && have >= want,
            "feature" or "latestFeature" => sameMinor && have >= want,
            "minor" or "latestMinor" => have.Major == want.Major && have >= want,
            "major" or "latestMajor" => have >= want,
            _ => throw new ArgumentOutOfRangeException(nameof(rollForward), rollForward, "Unknown rollForward policy."),
        };
    }

    [GeneratedRegex(@"^(\d+\.\d+\.\d+)(-[a-z0-9.-]+)?$")]
    private static partial Regex ExactVersion();
}
