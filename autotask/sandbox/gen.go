package sandbox

//go:generate go run ./internal/routegen -spec ../../../shared/autotask-api -out routes_gen.go
