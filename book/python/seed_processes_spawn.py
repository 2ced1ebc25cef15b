# The tutorial's process program, its section 4.2, copied exactly, with one
# line added after the import: set_start_method("spawn", force=True), as on
# macOS and Windows. Each child imports this file again and runs its top-level
# code, which starts two more processes: multiprocessing refuses with a
# RuntimeError in each child, and the parent still prints Done! and exits 0.
#
#     python3 book/python/seed_processes_spawn.py
import multiprocessing
# ANCHOR: added
multiprocessing.set_start_method("spawn", force=True)
# ANCHOR_END: added

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
