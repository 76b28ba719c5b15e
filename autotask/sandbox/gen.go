package sandbox

//go:generate go run ./internal/routegen -spec ../../internal/spec/autotask-api -out routes_gen.go
