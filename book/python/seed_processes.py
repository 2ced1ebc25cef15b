# The tutorial's process program, its section 4.2, copied exactly; only this
# comment and the ANCHOR lines (which mark what the book shows) are added.
# It has no `if __name__ == "__main__":` guard: it runs with the fork start
# method only (seed_processes_spawn.py shows what spawn does with it).
#
#     python3 book/python/seed_processes.py
# ANCHOR: program
import multiprocessing

def print_numbers():
    for i in range(5):
        print("Number: ", i)

def print_letters():
    for letter in "ABCDE":
        print("Letter: ", letter)

# Create two processes
numbers_process = multiprocessing.Process(target=print_numbers)
letters_process = multiprocessing.Process(target=print_letters)

# Start the processes
numbers_process.start()
letters_process.start()

# Wait for both processes to finish
numbers_process.join()
letters_process.join()

print("Done!")
# ANCHOR_END: program
