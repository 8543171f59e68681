package metricsource

// Bounding what one response can cost. A response body is capped in bytes,
// but bytes are not memory: json.Unmarshal turns 16 MiB of `[0,0,...]` into
// some 800 MiB of interfaces and slices. A body is counted before it is
// decoded, in one pass that allocates nothing, and refused past a fixed
// number of values or depth; a manager-wide semaphore bounds the bytes all
// polls hold and decode at once.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sync/semaphore"
)

const (
	// maxJSONValues bounds the values (scalars, objects and arrays) of one
	// decoded document. A metrics endpoint answers with dozens; 100,000
	// keep a decoded document within a few MiB whatever its shape.
	maxJSONValues = 100000
	// maxJSONDepth bounds nesting.
	maxJSONDepth = 64
	// DefaultDecodingBytes is the default of Options.DecodingBytes.
	DefaultDecodingBytes = 32 << 20
)

// errNotJSON is the error of a body that does not decode; the decoder's own
// message quotes the body, so it is dropped.
var errNotJSON = errors.New("response not JSON")

// tooLargeError is a response over one of the bounds. Its message names the
// bound, never the content.
type tooLargeError struct{ what string }

func (e tooLargeError) Error() string { return "response too large: " + e.what }

// readBody reads a whole body within limit bytes (errResponseTooLarge past
// it), into a buffer of the announced length when there is one.
func readBody(body io.Reader, limit, contentLength int64) ([]byte, error) {
	if contentLength > limit {
		return nil, errResponseTooLarge{limit}
	}
	if contentLength >= 0 {
		// net/http ends the body at Content-Length, or fails it short.
		data := make([]byte, contentLength)
		_, err := io.ReadFull(body, data)
		return data, err
	}
	return io.ReadAll(&limitedBody{ReadCloser: io.NopCloser(body), left: limit, limit: limit})
}

// decodeJSON decodes a document as json.Unmarshal into an any does, once
// jsonBudget accepted it; errors say only "not JSON" or "too large".
func decodeJSON(data []byte) (any, error) {
	if err := jsonBudget(data); err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, errNotJSON
	}
	return doc, nil
}

// jsonBudget fails a document that would decode to more than maxJSONValues
// values or nest deeper than maxJSONDepth. It counts, outside strings, one
// value for the document, one per opening bracket (its first element) and
// one per comma: an upper bound (an empty array counts one), exact for any
// document with something in every array and object. Malformed input is
// left to the decoder.
func jsonBudget(data []byte) error {
	values, depth := 1, 0
	inString, escaped := false, false
	for _, c := range data {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > maxJSONDepth {
				return tooLargeError{fmt.Sprintf("nested deeper than %d levels", maxJSONDepth)}
			}
			values++
		case ']', '}':
			depth--
		case ',':
			values++
		default:
			continue
		}
		if values > maxJSONValues {
			return tooLargeError{fmt.Sprintf("more than %d JSON values", maxJSONValues)}
		}
	}
	return nil
}

// bytesReader is what a checked body is handed on as.
func bytesReader(data []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(data)) }

// budget bounds the response bytes the polls of a manager read and decode at
// once. A poll takes its share after the response headers arrived, so a
// server that is slow to answer holds nothing.
type budget struct {
	sem  *semaphore.Weighted
	size int64
}

func newBudget(size int64) *budget {
	if size <= 0 {
		size = DefaultDecodingBytes
	}
	return &budget{sem: semaphore.NewWeighted(size), size: size}
}

// acquire waits for n bytes of the budget (at most all of it) and returns
// the function that gives them back.
func (b *budget) acquire(ctx context.Context, n int64) (func(), error) {
	n = max(1, min(n, b.size))
	if err := b.sem.Acquire(ctx, n); err != nil {
		return nil, err
	}
	return func() { b.sem.Release(n) }, nil
}
