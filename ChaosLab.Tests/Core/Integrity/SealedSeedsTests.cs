using ChaosLab.Core.Integrity;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Core.Integrity;

public sealed class SealedSeedsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void ForEpisode_SameKeyAndId_SameSeedInEveryProcess()
    {
        var seeds = new SealedSeeds(SealKey.FromSecret("operator secret that is long enough!"));

        // Pinned: the derivation is part of the record's meaning, an operator re-derives it later.
        Assert.Equal(seeds.ForEpisode("ep-1"), new SealedSeeds(SealKey.FromSecret("operator secret that is long enough!")).ForEpisode("ep-1"));
        Assert.Equal(6_378_804_544_320_121_631, seeds.ForEpisode("ep-1"));
    }

    [Fact]
    public void ForEpisode_DifferentKeyOrId_UnrelatedNonNegativeSeeds()
    {
        var seeds = new SealedSeeds(SealKey.FromSecret("operator secret that is long enough!"));
        var other = new SealedSeeds(SealKey.FromSecret("another operator's secret, as long"));

        var drawn = Enumerable.Range(0, 2000).Select(i => seeds.ForEpisode("ep-" + i)).ToList();

        Assert.NotEqual(seeds.ForEpisode("ep-1"), other.ForEpisode("ep-1"));
        Assert.All(drawn, s => Assert.True(s >= 0));
        Assert.Equal(drawn.Count, drawn.Distinct().Count());
        // Spread over the 63-bit range, not packed into a small space a replay could search.
        Assert.True(drawn.Count(s => s > long.MaxValue / 2) is > 900 and < 1100);
        Assert.True(drawn.Max() > (long)int.MaxValue * 1000);
    }

    [Fact]
    public void ForEvaluation_SameScenarioAndIndex_SharedByEveryAgentButNotAnEpisodeSeed()
    {
        var seeds = new SealedSeeds(SealKey.FromSecret("operator secret that is long enough!"));

        Assert.Equal(seeds.ForEvaluation("run", "W01", 1), seeds.ForEvaluation("run", "W01", 1));
        Assert.NotEqual(seeds.ForEvaluation("run", "W01", 1), seeds.ForEvaluation("run", "W01", 2));
        Assert.NotEqual(seeds.ForEvaluation("run", "W01", 1), seeds.ForEvaluation("run", "W02", 1));
        Assert.NotEqual(seeds.ForEvaluation("run", "W01", 1), seeds.ForEvaluation("other", "W01", 1));
    }

    [Fact]
    public void Load_NoKeyConfigured_CreatesAPrivateKeyFileOnceAndReusesIt()
    {
        var first = new SealedSeeds(SealKey.Load(null, _directory.Path)).ForEpisode("ep");
        var path = Path.Combine(_directory.Path, SealKey.FileName);
        var text = File.ReadAllText(path);
        var second = new SealedSeeds(SealKey.Load(null, _directory.Path)).ForEpisode("ep");

        Assert.Equal(first, second);
        Assert.True(text.Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Load_Configured_WinsOverTheFile()
    {
        SealKey.Load(null, _directory.Path);

        var configured = new SealedSeeds(SealKey.Load("operator secret that is long enough!", _directory.Path));

        Assert.Equal(new SealedSeeds(SealKey.FromSecret("operator secret that is long enough!")).ForEpisode("x"), configured.ForEpisode("x"));
    }

    [Fact]
    public void Load_DamagedKeyFile_RefusesInsteadOfReplacingIt()
    {
        File.WriteAllText(Path.Combine(_directory.Path, SealKey.FileName), "short");

        var error = Assert.Throws<InvalidOperationException>(() => SealKey.Load(null, _directory.Path));

        Assert.Contains("seal key file", error.Message, StringComparison.Ordinal);
        Assert.Equal("short", File.ReadAllText(Path.Combine(_directory.Path, SealKey.FileName)));
    }

    public void Dispose() => _directory.Dispose();
}
