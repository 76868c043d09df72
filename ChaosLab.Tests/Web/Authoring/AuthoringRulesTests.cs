using ChaosLab.Web.Hosting.Authoring;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Authoring;

public sealed class AuthoringRulesTests
{
    [Fact]
    public void AdminKey_Unset_NotRequiredAndNothingMatches()
    {
        var key = new AdminKey(Options.Create(new AuthoringOptions()));

        Assert.False(key.Required);
        Assert.False(key.Matches(""));
        Assert.False(key.Matches(null));
    }

    [Theory]
    [InlineData("the-operators-key-0001", true)]
    [InlineData("the-operators-key-0002", false)]
    [InlineData("the-operators-key-000", false)]
    [InlineData("the-operators-key-00011", false)]
    [InlineData("THE-OPERATORS-KEY-0001", false)]
    [InlineData("", false)]
    public void AdminKey_Set_OnlyTheExactKeyMatches(string candidate, bool matches)
    {
        var key = new AdminKey(Options.Create(new AuthoringOptions { AdminKey = "the-operators-key-0001" }));

        Assert.True(key.Required);
        Assert.Equal(matches, key.Matches(candidate));
    }

    [Theory]
    [InlineData("/web/scenarios/W01?tab=json", "/web/scenarios/W01?tab=json")]
    [InlineData("/web/", "/web/")]
    [InlineData(null, "/web/")]
    [InlineData("", "/web/")]
    [InlineData("/webby/", "/web/")]
    [InlineData("/web/\\evil.example", "/web/")]
    [InlineData("http://localhost/web/", "/web/")]
    public void LocalReturnPath_OnlyDashboardPages(string? returnUrl, string expected) =>
        Assert.Equal(expected, SignInEndpoints.LocalReturnPath(returnUrl));

    [Theory]
    [InlineData("  Ada Lovelace ", "Ada Lovelace")]
    [InlineData("José O'Neil-Ruiz", "José O'Neil-Ruiz")]
    [InlineData("", "operator")]
    [InlineData(null, "operator")]
    [InlineData("<script>", "operator")]
    [InlineData("line\nbreak", "operator")]
    public void AuthorName_PlainNamesKept_OthersTheDefault(string? name, string expected) =>
        Assert.Equal(expected, SignInEndpoints.AuthorName(name));

    [Fact]
    public void AuthorName_LongerThanTheLimit_TheDefault() =>
        Assert.Equal(StudioPolicies.DefaultAuthor, SignInEndpoints.AuthorName(new string('a', SignInEndpoints.MaxNameLength + 1)));

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("fifteen-chars-x", false)]
    [InlineData("sixteen-chars-xy", true)]
    public void Options_KeyUnsetEmptyOrLongEnough_Valid(string? key, bool valid)
    {
        var options = new AuthoringOptions { AdminKey = key };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        Assert.Equal(valid, System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true));
        Assert.Equal(valid, results.Count == 0);
        Assert.Equal(key is { Length: > 0 }, new AdminKey(Options.Create(options)).Required);
    }
}
