package gen

import (
	"runtime"
	"sync"
)

// parallel runs work(0..n-1) on up to GOMAXPROCS goroutines and waits. In
// wasm there is one thread and this degrades to a plain loop.
func parallel(n int, work func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			work(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				work(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
