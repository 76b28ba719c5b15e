// Package docexample reads the shell examples a Markdown document shows, and checks a
// program's output against the output the document shows for it, so that a README's
// examples fail a test the day they stop being true.
//
// An example's output may leave parts out with "..." (Elision): a member of a JSON object
// or the rest of an array, any text inside a JSON string, or any text in a line of plain
// output. Everything it does show must be there, with the same value.
package docexample
