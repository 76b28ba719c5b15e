# The server for a team: Streamable HTTP at :8080/mcp, serving whoever carries the bearer
# token. It listens beyond loopback, so it refuses to start without AUTOTASK_MCP_TOKEN:
#
#   docker build -t autotask-mcp .
#   docker run -p 8080:8080 -e AUTOTASK_MCP_TOKEN=... -e AUTOTASK_USERNAME=... \
#     -e AUTOTASK_SECRET=... -e AUTOTASK_INTEGRATION_CODE=... autotask-mcp
#
# GET /healthz answers "ok" without the token, for health checks. The image has no shell,
# so a HEALTHCHECK belongs to the orchestrator (an HTTP probe of /healthz).
# cmd/autotask-mcp/dockerfile_test.go builds the binary with this file's exact build command
# and checks it is static and serves; keep the go build on one RUN line it can find.

FROM golang:1.26-alpine AS build
RUN apk add --no-cache ca-certificates
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# To stamp a release in: docker build --build-arg VERSION=v1.2.3 --build-arg COMMIT=<git commit> .
ARG VERSION=
ARG COMMIT=
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags="-s -w -X main.buildVersion=${VERSION} -X main.buildCommit=${COMMIT}" -o /out/autotask-mcp ./cmd/autotask-mcp

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/autotask-mcp /autotask-mcp
# A user id with no account: nothing in the image belongs to it, so it can change nothing.
USER 65532:65532
ENV AUTOTASK_MCP_TRANSPORT=http \
    AUTOTASK_MCP_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/autotask-mcp"]
