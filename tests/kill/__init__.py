"""The kill -9 harness: builds killed at random points of every stage, then recovered."""
