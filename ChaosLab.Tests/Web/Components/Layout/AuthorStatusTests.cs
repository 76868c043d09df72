using System.Security.Claims;
using Bunit;
using ChaosLab.Tests.Infrastructure;
using ChaosLab.Web.Components.Layout;
using ChaosLab.Web.Hosting.Authoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosLab.Tests.Web.Components.Layout;

public sealed class AuthorStatusTests : DashboardTestContext
{
    [Fact]
    public void Render_NoAdminKey_NothingShown()
    {
        var status = RenderPage<AuthorStatus>();

        Assert.Empty(status.FindAll("[data-testid=author-status]"));
    }

    [Fact]
    public void Render_KeySetSignedOut_SignInLinkReturnsHere()
    {
        RequireKey();
        NavigateTo("scenarios?suite=tools");

        var status = RenderPage<AuthorStatus>();

        var link = status.Find("[data-testid=author-status]");
        Assert.Equal("Sign in", link.TextContent.Trim());
        Assert.Equal("sign-in?return_url=%2Fscenarios%3Fsuite%3Dtools", link.GetAttribute("href"));
    }

    [Fact]
    public void Render_KeySetSignedInAuthor_ShowsTheirName()
    {
        RequireKey();
        Authorization.SetAuthorized("ada");
        Authorization.SetClaims(new Claim(StudioPolicies.AuthorClaim, "Ada"));
        Authorization.SetPolicies(StudioPolicies.Author);

        var status = RenderPage<AuthorStatus>();

        Assert.Equal("Ada", status.Find("[data-testid=author-status]").TextContent.Trim());
    }

    private void RequireKey() =>
        Services.AddSingleton(new AdminKey(Options.Create(new AuthoringOptions { AdminKey = "a-key-of-enough-length" })));
}
