// Package biebplein is the domain of Biebplein, a social intranet for a network of Dutch public
// libraries, their support organisations, volunteers and partners.
//
// This package holds what the product is made of: the domain types, the filter structs used to
// ask for lists of them, the store interfaces that persist them, the error type with its codes
// and the rules that decide who may do what. It imports nothing of the project; every other
// package imports it. Read this package first.
package biebplein
