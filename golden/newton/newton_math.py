# The Newton note's script with one line added, `import math`, so that
# expressions can use the math module (golden/newton/math_functions.txt).
import math
H = 1e-5

def derivative(f,x): return (f(x+H) - f(x))/H
def newton(f, x): return x - ( f(x) / derivative(f,x))
def runner(f,n): 
    x = 0
    itr = 0
    while itr < n:
        x = newton(f,1) if itr == 0 else newton(f,x)
        itr = itr + 1
    return x

if __name__ == '__main__':
    import sys 
    print( runner( lambda x: eval(sys.argv[1]) , 100) )
