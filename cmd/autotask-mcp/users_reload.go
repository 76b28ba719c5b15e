package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/autotask-mcp/autotask-mcp/internal/server"
)

// reloadUsers replaces the server's team with the users file as it is now; a file with a
// mistake keeps the team as it was, and the log says why.
func reloadUsers(path string, users *server.Users, logger *slog.Logger) bool {
	list, err := loadUsersFile(path)
	if err != nil {
		logger.Error("users file not reloaded; keeping the previous users", "users", users.Len(), "err", err)
		return false
	}
	users.Replace(list)
	logger.Info("users file reloaded", "file", path, "users", len(list))
	return true
}

// reloadUsersOnHangup reloads the users file on every SIGHUP until ctx ends or the returned
// stop is called (which waits for a reload in progress).
func reloadUsersOnHangup(ctx context.Context, path string, users *server.Users, logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	hangup := make(chan os.Signal, 1)
	signal.Notify(hangup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hangup:
				reloadUsers(path, users, logger)
			}
		}
	}()
	return func() {
		signal.Stop(hangup)
		cancel()
		<-done
	}
}
