# ChaosLab container: the Hugging Face Space image. Port 8000, database on the /data volume.

# --- build: .NET SDK plus Node/npm for the front-end packages ------------------------------
# The SDK is pinned to the exact version global.json asks for (10.0.401, rollForward
# latestFeature: any 10.0 SDK from 10.0.401 up). A floating `sdk:10.0` tag may point at another
# feature band, and relaxing global.json instead would let the image build with an SDK whose
# compiler and analyzers this warnings-as-errors build was never tried with. Bump this tag, the
# runtime tag below and global.json together; DockerfileTests fails when they disagree.
# .NET 10 images are Ubuntu 24.04 (noble); its apt Node.js is 18, older than the Node 20 the web
# build is developed with, so node and npm come from the official Node image instead.
FROM node:20-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
WORKDIR /src

# Restore first, from the project files alone, so source edits reuse the cached layers.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY ChaosLab.Core/ChaosLab.Core.csproj ChaosLab.Core/
COPY ChaosLab.Web/ChaosLab.Web.csproj ChaosLab.Web/
COPY ChaosLab.Web/Build/ ChaosLab.Web/Build/
RUN dotnet restore ChaosLab.Web/ChaosLab.Web.csproj

COPY wwwroot-assets/package.json wwwroot-assets/package-lock.json wwwroot-assets/
RUN cd wwwroot-assets && npm ci --no-audit --no-fund

COPY ChaosLab.Core/ ChaosLab.Core/
COPY ChaosLab.Web/ ChaosLab.Web/
# Embedded in the web assembly: GET /metadata returns it as readme_content.
COPY README.md ./
RUN dotnet publish ChaosLab.Web/ChaosLab.Web.csproj -c Release -o /app --no-restore

# --- run: ASP.NET Core runtime, non-root -------------------------------------------------
# The runtime SDK 10.0.401 ships with (the one the tests run on).
FROM mcr.microsoft.com/dotnet/aspnet:10.0.12-noble AS runtime
# bubblewrap + python3: the sandbox for python_execute and submitted code (it refuses to run
# code, with a clear message, where the container may not create namespaces). curl: health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap python3 curl \
 && rm -rf /var/lib/apt/lists/*

# Hugging Face Spaces run the container as uid 1000 (the image's `ubuntu` user); own the data directory as that user.
# The key ring's folder exists in the image so a volume mounted there (deploy/compose.yaml shares
# one between replicas) starts out owned by that user too.
RUN mkdir -p /data/.aspnet/DataProtection-Keys && chown -R 1000:1000 /data
# The command line of the same executable: `chaoslab eval --assignment a.yaml` inside the container.
RUN printf '#!/bin/sh\nexec dotnet /app/ChaosLab.Web.dll "$@"\n' > /usr/local/bin/chaoslab && chmod 755 /usr/local/bin/chaoslab
WORKDIR /app
COPY --from=build /app ./
USER 1000:1000

# HOME on the volume keeps ASP.NET's data-protection keys across restarts. A public Space
# publishes no metrics: anyone could read them (an operator's own server turns them back on).
ENV ASPNETCORE_HTTP_PORTS=8000 \
    ChaosLab__DataDirectory=/data \
    ChaosLab__Metrics__Enabled=false \
    HOME=/data \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/health || exit 1
ENTRYPOINT ["dotnet", "ChaosLab.Web.dll"]
