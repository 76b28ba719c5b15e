package tools

import (
	"context"
	"sync"
)

// inParallel runs each fn in its own goroutine and returns once all have returned. Independent
// requests go out together this way; the client still holds each endpoint to the API's in-flight
// limit, so this never overruns it. The context every fn gets is cancelled as soon as one fn fails,
// so the first failure stops the requests still under way, and it is the error returned.
func inParallel(ctx context.Context, fns ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		once  sync.Once
		first error
		wg    sync.WaitGroup
	)
	for _, fn := range fns {
		wg.Go(func() {
			if err := fn(ctx); err != nil {
				once.Do(func() {
					first = err
					cancel()
				})
			}
		})
	}
	wg.Wait()
	return first
}
